import type { EndpointSaveRequest, EndpointView } from '../../preload/contract.ts';
import { h } from '../common/dom.ts';
import { RemoteError, errorMessage } from '../bridge/bridge-error.ts';

const FIELDS: { key: keyof EndpointSaveRequest; label: string; type?: string; hint?: string }[] = [
  { key: 'name', label: 'Name' },
  { key: 'wsUrl', label: 'Websocket URL', hint: 'ws://host:8088/ws, or wss://host:8089/ws' },
  { key: 'ariUrl', label: 'ARI URL (optional)', hint: 'http://host:8088/ari: lists live channels' },
  { key: 'ariUser', label: 'ARI user' },
  { key: 'ariPassword', label: 'ARI password', type: 'password' },
  { key: 'authUser', label: 'Proxy user (optional)', hint: 'Basic auth for a proxy in front of /ws' },
  { key: 'authPassword', label: 'Proxy password', type: 'password' },
];

/**
 * The endpoint editor: plain labelled inputs, problems shown next to their field. Explains that
 * res_ari_stream has no authentication of its own.
 */
export function createEndpointForm(opts: {
  endpoint?: EndpointView;
  save: (req: EndpointSaveRequest) => Promise<void>;
  cancel: () => void;
}): HTMLElement {
  const ep = opts.endpoint;
  const inputs = new Map<string, HTMLInputElement>();
  const errors = new Map<string, HTMLElement>();
  const rows = FIELDS.map((f) => {
    const id = `endpoint-field-${f.key}`;
    const value = ep && f.type !== 'password' ? String((ep as unknown as Record<string, unknown>)[f.key] ?? '') : '';
    const hasSecret = f.key === 'ariPassword' ? ep?.hasAriPassword : f.key === 'authPassword' ? ep?.hasAuthPassword : false;
    const input = h('input', { id, name: f.key, type: f.type ?? 'text', value, placeholder: hasSecret ? '(unchanged)' : (f.hint ?? ''), autocomplete: 'off', 'aria-describedby': `${id}-error` });
    const error = h('div', { id: `${id}-error`, class: 'field-error', role: 'alert' });
    inputs.set(f.key, input);
    errors.set(f.key, error);
    return h('div', { class: 'field' }, h('label', { for: id }, f.label), input, error);
  });
  const headersId = 'endpoint-field-headers';
  const headers = h('textarea', { id: headersId, name: 'headers', rows: 2, placeholder: 'X-Token: value (one per line)', 'aria-describedby': `${headersId}-error` });
  headers.value = Object.entries(ep?.headers ?? {}).map(([k, v]) => `${k}: ${v}`).join('\n');
  const headersError = h('div', { id: `${headersId}-error`, class: 'field-error', role: 'alert' });
  errors.set('headers', headersError);
  const selfSigned = h('input', { id: 'endpoint-field-selfsigned', type: 'checkbox', checked: ep?.allowSelfSigned === true });
  const current = ep?.transport ?? 'auto';
  const transport = h(
    'select',
    { id: 'endpoint-field-transport', name: 'transport', 'aria-describedby': 'endpoint-field-transport-error endpoint-transport-help' },
    // Short labels (the box is as narrow as the side bar); the note below says what each one is.
    h('option', { value: 'auto', selected: current === 'auto', title: 'ari-media when ARI is set and Asterisk has it, else stream-channel' }, 'Auto'),
    h('option', { value: 'ari-media', selected: current === 'ari-media', title: 'Stock Asterisk 20.16+: ARI snoop + chan_websocket' }, 'ari-media (Asterisk 20.16+)'),
    h('option', { value: 'stream-channel', selected: current === 'stream-channel', title: 'res_ari_stream on /ws' }, 'stream-channel (res_ari_stream)'),
  );
  const transportError = h('div', { id: 'endpoint-field-transport-error', class: 'field-error', role: 'alert' });
  errors.set('transport', transportError);
  const formError = h('div', { class: 'form-error', role: 'alert' });

  const form = h(
    'form',
    { class: 'endpoint-form', 'aria-label': ep ? `Edit ${ep.name}` : 'New endpoint', novalidate: true },
    h('h3', {}, ep ? `Edit ${ep.name}` : 'New endpoint'),
    ...rows,
    h('div', { class: 'field' }, h('label', { for: headersId }, 'Extra headers (optional)'), headers, headersError),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'endpoint-field-transport' }, 'Transport'),
      transport,
      h('div', { id: 'endpoint-transport-help', class: 'note' }, 'Auto picks ari-media when ARI is set and Asterisk has chan_websocket. ari-media (stock Asterisk 20.16+: ARI snoop + chan_websocket) needs ARI credentials, closes cleanly and taps both directions of a call. stream-channel (res_ari_stream on /ws) must never be closed while the call is up.'),
      transportError,
    ),
    h('div', { class: 'field checkbox' }, selfSigned, h('label', { for: 'endpoint-field-selfsigned' }, 'Allow a self-signed certificate (wss) for this endpoint')),
    h('p', { class: 'note warning' }, 'Security: res_ari_stream has no authentication: anyone who reaches /ws and knows a channel name can listen. Prefer wss behind an authenticating proxy, and the ARI media transport where available.'),
    formError,
    h('div', { class: 'form-buttons' }, h('button', { type: 'submit', class: 'primary' }, 'Save'), h('button', { type: 'button', onclick: () => opts.cancel() }, 'Cancel')),
  );
  form.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape') opts.cancel();
  });
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    for (const e of errors.values()) e.textContent = '';
    formError.textContent = '';
    const headerMap: Record<string, string> = {};
    for (const line of headers.value.split('\n').map((l) => l.trim()).filter(Boolean)) {
      const i = line.indexOf(':');
      if (i <= 0) {
        headersError.textContent = `"${line}" is not "Name: value".`;
        return;
      }
      headerMap[line.slice(0, i).trim()] = line.slice(i + 1).trim();
    }
    const val = (k: string): string => inputs.get(k)!.value.trim();
    const req: EndpointSaveRequest = { name: val('name'), wsUrl: val('wsUrl'), headers: headerMap, allowSelfSigned: selfSigned.checked, transport: transport.value as NonNullable<EndpointSaveRequest['transport']> };
    if (ep) req.id = ep.id;
    for (const k of ['ariUrl', 'ariUser', 'authUser'] as const) if (val(k)) req[k] = val(k);
    for (const k of ['ariPassword', 'authPassword'] as const) if (inputs.get(k)!.value !== '') req[k] = inputs.get(k)!.value;
    opts.save(req).catch((err: unknown) => {
      if (err instanceof RemoteError && err.fields.length > 0) {
        for (const f of err.fields) {
          const target = errors.get(f.field) ?? formError;
          target.textContent = f.message;
        }
        (inputs.get(err.fields[0]!.field) ?? headers).focus();
      } else formError.textContent = errorMessage(err);
    });
  });
  queueMicrotask(() => inputs.get('name')?.focus());
  return form;
}
