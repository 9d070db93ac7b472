#!/usr/bin/python3
"""A minimal stream-channel client, in the manner of the seed's Python client (not included here).

Connects to Asterisk's /ws with the "stream-channel" sub-protocol and a Channel-ID header, writes
every binary frame (16 kHz 16-bit mono) to a WAV, and returns when the server closes (it never
closes first). Uses Debian's python3-websocket (websocket-client). Benchmark baseline only.

usage: stream_channel_client.py WS_URL CHANNEL OUT.wav
"""
import sys
import wave

import websocket


def main() -> int:
    url, channel, out = sys.argv[1], sys.argv[2], sys.argv[3]
    ws = websocket.create_connection(url, subprotocols=["stream-channel"], header=[f"Channel-ID: {channel}"])
    frames = 0
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(16000)
        while True:
            try:
                opcode, data = ws.recv_data()
            except websocket.WebSocketConnectionClosedException:
                break
            if opcode == websocket.ABNF.OPCODE_CLOSE:
                break
            if opcode == websocket.ABNF.OPCODE_BINARY:
                wav.writeframesraw(data)
                frames += 1
    print(f"{frames} frames", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
