import type { Locator, Page } from 'playwright-core';

/** Page objects, one per workbench part, found by the parts' stable ids. */
const part = (page: Page, id: string): Locator => page.locator(`[id="workbench.parts.${id}"]`);

/** What every page object holds: the page it looks at. */
abstract class PageObject {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }
}

export class ActivityBar extends PageObject {
  get root(): Locator {
    return part(this.page, 'activitybar');
  }
  async show(view: 'endpoints' | 'channels' | 'recordings'): Promise<void> {
    await this.root.locator(`[data-view=${view}]`).click();
  }
}

export class EndpointsView extends PageObject {
  get root(): Locator {
    return part(this.page, 'sidebar').locator('[data-view=endpoints]');
  }
  item(name: string): Locator {
    return this.root.locator(`[role=treeitem][data-endpoint="${name}"]`);
  }
  async add(fields: Record<string, string>): Promise<void> {
    await this.root.locator('[data-action=add-endpoint]').click();
    for (const [name, value] of Object.entries(fields)) await this.root.locator(`[name=${name}]`).fill(value);
    await this.root.getByRole('button', { name: 'Save' }).click();
  }
  fieldError(name: string): Locator {
    return this.root.locator(`#endpoint-field-${name}-error`);
  }
}

export class ChannelsView extends PageObject {
  get root(): Locator {
    return part(this.page, 'sidebar').locator('[data-view=channels]');
  }
  async selectEndpoint(name: string): Promise<void> {
    await this.root.locator('#channels-endpoint').selectOption({ label: name });
  }
  async tapChannel(namePrefix: string): Promise<void> {
    await this.root.locator(`.leg[data-channel^="${namePrefix}"] [data-action=tap-channel]`).first().click();
  }
  async tapCallOf(namePrefix: string): Promise<void> {
    await this.root.locator('.call', { has: this.page.locator(`.leg[data-channel^="${namePrefix}"]`) }).locator('[data-action=tap-call]').click();
  }
  async openByName(channel: string): Promise<void> {
    await this.root.locator('#manual-channel').fill(channel);
    await this.root.locator('#manual-channel').press('Enter');
  }
}

export class TapEditorPage extends PageObject {
  get root(): Locator {
    return part(this.page, 'editor').locator('.tap-editor');
  }
  get banner(): Locator {
    return this.root.locator('.banner');
  }
  legs(): Locator {
    return this.root.locator('.leg-row');
  }
  button(action: 'listen' | 'record' | 'marker' | 'stop' | 'save-replay'): Locator {
    return this.root.locator(`[data-action=${action}]`);
  }
  async tapId(): Promise<string> {
    return (await this.root.getAttribute('data-tap'))!;
  }
}

export class RecordingsViewPage extends PageObject {
  get root(): Locator {
    return part(this.page, 'sidebar').locator('[data-view=recordings]');
  }
  item(name: string | RegExp): Locator {
    return typeof name === 'string' ? this.root.locator(`.recording[data-recording="${name}"]`) : this.root.locator('.recording').filter({ hasText: name });
  }
  async open(name: string | RegExp): Promise<void> {
    await this.item(name).first().locator('[data-action=open-recording]').click();
  }
}

export class ReviewEditorPage extends PageObject {
  get root(): Locator {
    return part(this.page, 'editor').locator('.review-editor');
  }
  get waveform(): Locator {
    return this.root.locator('[data-part=waveform]');
  }
  button(action: 'play' | 'loop' | 'spectrogram' | 'zoom-in' | 'zoom-out' | 'add-marker' | 'export-selection' | 'export-labelled' | 'cancel-export'): Locator {
    return this.root.locator(`[data-action=${action}]`);
  }
  regionItems(): Locator {
    return this.root.locator('.region-item');
  }
  /** Drags across the waveform from one fraction of its width to another (a region selection). */
  async drag(fromFraction: number, toFraction: number): Promise<void> {
    const box = (await this.waveform.boundingBox())!;
    const y = box.y + box.height / 2;
    await this.page.mouse.move(box.x + box.width * fromFraction, y);
    await this.page.mouse.down();
    for (let i = 1; i <= 10; i++) await this.page.mouse.move(box.x + box.width * (fromFraction + ((toFraction - fromFraction) * i) / 10), y);
    await this.page.mouse.up();
  }
}

export class StatusBar extends PageObject {
  get root(): Locator {
    return part(this.page, 'statusbar');
  }
  item(name: 'host' | 'taps' | 'detached' | 'recording'): Locator {
    return this.root.locator(`[data-status=${name}]`);
  }
}

export class OutputPanel extends PageObject {
  get root(): Locator {
    return part(this.page, 'panel');
  }
}

/** The workbench's quick input: a name, a confirmation or a pick, at the top of the window. */
export class QuickInputPage extends PageObject {
  get root(): Locator {
    return this.page.locator('.quick-input[role=dialog]');
  }
  get input(): Locator {
    return this.root.locator('input');
  }
  get message(): Locator {
    return this.root.locator('.quick-input-message');
  }
  button(action: 'quick-confirm' | 'quick-cancel'): Locator {
    return this.root.locator(`[data-action=${action}]`);
  }
}

export class Workbench {
  readonly activity: ActivityBar;
  readonly endpoints: EndpointsView;
  readonly channels: ChannelsView;
  readonly editor: TapEditorPage;
  readonly recordings: RecordingsViewPage;
  readonly review: ReviewEditorPage;
  readonly status: StatusBar;
  readonly output: OutputPanel;
  readonly quick: QuickInputPage;
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
    this.activity = new ActivityBar(page);
    this.endpoints = new EndpointsView(page);
    this.channels = new ChannelsView(page);
    this.editor = new TapEditorPage(page);
    this.recordings = new RecordingsViewPage(page);
    this.review = new ReviewEditorPage(page);
    this.status = new StatusBar(page);
    this.output = new OutputPanel(page);
    this.quick = new QuickInputPage(page);
  }
  /** What has keyboard focus: a short description for assertions. */
  focused(): Promise<{ tag: string; action: string | null; id: string | null; inside: string | null; text: string }> {
    return this.page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return {
        tag: el?.tagName.toLowerCase() ?? 'none',
        action: el?.getAttribute('data-action') ?? null,
        id: el?.getAttribute('data-id') ?? null,
        inside: el?.closest('[data-view]')?.getAttribute('data-view') ?? (el?.closest('.tap-editor') ? 'tap-editor' : el?.closest('.review-editor') ? 'review-editor' : null),
        text: (el?.textContent ?? '').slice(0, 80),
      };
    });
  }
  /** Opens the built-in demo endpoint's channels and taps one channel, or every leg of a call, by name prefix. */
  async tapOnDemo(what: 'channel' | 'call', prefix: string): Promise<void> {
    await this.endpoints.item('Demo PBX (built-in)').locator('[data-action=open-endpoint]').click();
    if (what === 'channel') await this.channels.tapChannel(prefix);
    else await this.channels.tapCallOf(prefix);
    await this.editor.root.waitFor();
  }
  /** Read-only hooks the page exposes for checks (window.__asteriskTap); a hook may answer with a promise. */
  hook<T>(fn: string, ...args: unknown[]): Promise<T> {
    return this.page.evaluate(([f, a]) => ((window as unknown as { __asteriskTap: Record<string, (...x: unknown[]) => unknown> }).__asteriskTap[f as string]!(...(a as unknown[])) as T), [fn, args] as const);
  }

  /** Polls a hook until its answer satisfies `ok` (hooks of the live worker answer asynchronously). */
  async waitForHook<T>(ok: (v: T) => boolean, what: string, fn: string, ...args: unknown[]): Promise<T> {
    const until = Date.now() + 30_000;
    for (;;) {
      const v = await this.hook<T>(fn, ...args);
      if (ok(v)) return v;
      if (Date.now() > until) throw new Error(`Timed out waiting for ${what}: ${JSON.stringify(v)}`);
      await this.page.waitForTimeout(50);
    }
  }

  /** Waits until a leg's live waveform shows a finding mark of `kind` (drawn by the live worker, not in the document). */
  waitForMark(tapId: string, leg: number, kind: string): Promise<unknown> {
    return this.waitForHook<{ marks: string[] }>((s) => s.marks.includes(kind), `a ${kind} mark on leg ${leg}`, 'waveState', tapId, leg);
  }
}
