/**
 * @module test/web/page
 * The web page of `rtc serve` end to end in headless Chromium (Debian's `chromium`, driven by
 * `playwright-core`), against the real HTTP server on a temporary copy of the ts-shop fixture, watching its
 * files: the page loads without errors, a search shows ranked items with their reasons, a symbol's
 * neighbourhood and a file's syntax tree and semantic graph render, a file changed on disk reaches the page
 * (version badge, toast, refreshed source), and an API error shows the error banner. Without a Chromium the
 * suite is skipped with a message saying how to install one.
 */
import { appendFileSync, cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpServer } from '../../src/interfaces/http/index.js';
import type { HttpServer } from '../../src/interfaces/http/index.js';
import { FIXTURE_REPOS } from '../support/index.js';

/** Debian's Chromium, or one named by CHROMIUM_PATH. */
const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
  (path): path is string => path !== undefined && path !== '' && existsSync(path),
);
if (!CHROMIUM)
  console.warn(
    'test/web/page: skipped, no Chromium found (install it with `apt-get install chromium`, or set CHROMIUM_PATH)',
  );

/** Where screenshots go when RTC_WEB_SCREENSHOTS names a folder (for looking at the page; not checked). */
const SHOTS = process.env.RTC_WEB_SCREENSHOTS;

/** What the page's cytoscape handles (window.rtcGraph, window.rtcAsg) expose to these tests. */
interface CyElement {
  data(key: string): string;
  visible(): boolean;
  hasClass(name: string): boolean;
  emit(event: string): void;
}
interface CyCollection {
  map<T>(f: (element: CyElement) => T): T[];
  filter(f: (element: CyElement) => boolean): CyCollection;
  forEach(f: (element: CyElement) => void): void;
}
type Handles = Record<'rtcGraph' | 'rtcAsg', { nodes(): CyCollection; edges(): CyCollection } | undefined>;

/** The nodes and edges a graph of the page shows. */
async function graphFacts(page: Page, handle: keyof Handles) {
  return page.evaluate((name) => {
    const cy = (globalThis as unknown as Handles)[name];
    return {
      nodes:
        cy?.nodes().map((n) => ({
          kind: n.data('kind'),
          qualifiedName: n.data('qualifiedName'),
          centre: n.hasClass('centre'),
        })) ?? [],
      edges:
        cy?.edges().map((e) => ({ kind: e.data('kind'), group: e.data('group'), visible: e.visible() })) ??
        [],
    };
  }, handle);
}

/** Sends a pointer event to the nodes of a graph with a qualified name (as a user's hover or click). */
async function emit(page: Page, handle: keyof Handles, qualifiedName: string, event: 'mouseover' | 'tap') {
  await page.evaluate(
    ([name, wanted, type]) => {
      const cy = (globalThis as unknown as Handles)[name as keyof Handles]!;
      cy.nodes()
        .filter((n) => n.data('qualifiedName') === wanted)
        .forEach((n) => {
          n.emit(type!);
        });
    },
    [handle, qualifiedName, event],
  );
}

describe.skipIf(!CHROMIUM)('the web page in headless Chromium', () => {
  let repo: string;
  let server: HttpServer;
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];

  async function shot(name: string): Promise<void> {
    if (SHOTS) await page.screenshot({ path: join(SHOTS, `${name}.png`) });
  }

  beforeAll(async () => {
    repo = mkdtempSync(join(tmpdir(), 'rtc-web-'));
    cpSync(join(FIXTURE_REPOS, 'ts-shop'), repo, { recursive: true });
    server = await startHttpServer({ repos: [repo], port: 0, host: '127.0.0.1', watch: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM!,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(`page error: ${error.message}`));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (repo) rmSync(repo, { recursive: true, force: true });
  });

  it('loads with the workspace and its version, and no console errors', async () => {
    await page.goto(server.url);
    await page.waitForSelector('body[data-ready="yes"]');
    await expect.poll(() => page.textContent('#version')).toMatch(/^v\d+$/);
    expect(await page.locator('#workspace option').allTextContents()).toEqual([server.set.list()[0]!.name]);
    await expect.poll(() => page.textContent('#live-status')).toBe('live');
    expect(await page.isVisible('#error')).toBe(false);
    expect(consoleErrors).toEqual([]);
  });

  it('searches: ranked items with path, lines, kind, score and the reason of each', async () => {
    await page.fill('#query', 'checkout pays the cart total with a discount');
    await page.click('#search-button');
    await page.waitForSelector('#results .result');
    const first = page.locator('#results .result').first();
    expect(await first.locator('a.path').textContent()).toMatch(/^src\/.+\.tsx?:\d+(–\d+)?$/);
    expect(await first.locator('.kind').first().textContent()).toMatch(/^[a-z_]+$/);
    expect(await first.locator('.reason .chip.route').first().textContent()).toMatch(/^route [a-z-]+$/);
    expect(await page.textContent('#results')).toContain('via');
    expect(await page.textContent('#summary')).toMatch(/excerpts · \d+\/\d+ tokens/);
    expect(await page.locator('#files-found li').count()).toBeGreaterThan(0);
    expect(await page.textContent('#packed-text')).toContain('src/');
    await shot('search');
  });

  it("draws a symbol's neighbourhood, recentres on a clicked node and shows a node's details on hover", async () => {
    await page
      .locator('#results button.symbol', { hasText: /^checkout$/ })
      .first()
      .click();
    await expect.poll(async () => (await graphFacts(page, 'rtcGraph')).nodes.length).toBeGreaterThan(1);
    expect(await page.textContent('#graph-title')).toMatch(/^checkout · \d+ nodes/);
    expect(await page.textContent('#legend')).toContain('calls');
    const graph = await graphFacts(page, 'rtcGraph');
    expect(graph.edges.map((e) => e.kind)).toContain('calls');
    expect(graph.nodes.filter((n) => n.centre).map((n) => n.qualifiedName)).toEqual(['checkout']);
    await shot('graph');

    // Unticking callees hides the calls out of checkout.
    const visible = async () => (await graphFacts(page, 'rtcGraph')).edges.filter((e) => e.visible).length;
    const before = await visible();
    await page.uncheck('#filter-callees');
    expect(await visible()).toBeLessThan(before);
    await page.check('#filter-callees');
    expect(await visible()).toBe(before);

    await emit(page, 'rtcGraph', 'Checkout.pay', 'mouseover');
    expect(await page.textContent('#tooltip')).toContain('src/services/checkout.ts');
    await emit(page, 'rtcGraph', 'Checkout.pay', 'tap');
    await expect.poll(() => page.textContent('#graph-title')).toMatch(/^Checkout\.pay · \d+ nodes/);
  });

  it("shows a file's source, symbols, syntax tree and semantic graph", async () => {
    // A path in the results opens the file at its lines.
    const link = page.locator('#results a.path').first();
    const [path, line] = (await link.textContent())!.split(/[:–]/);
    await link.click();
    await page.waitForSelector('#file-view', { state: 'visible' });
    expect(await page.inputValue('#file-select')).toBe(path);
    expect(await page.getAttribute('#file-source .line.marked', 'data-line')).toBe(line);

    // The view of the file shown before stays until the new one arrives: wait for the new one's text.
    await page.selectOption('#file-select', 'src/util/math.ts');
    await expect.poll(() => page.textContent('#file-source')).toContain('export function factorial');
    await page.click('#file-tab-symbols');
    await expect.poll(() => page.textContent('#file-symbols')).toContain('factorial');
    await page.click('#file-tab-ast');
    await expect.poll(() => page.textContent('#ast-tree')).toContain('"factorial"');
    const tree = await page.textContent('#ast-tree');
    expect(tree).toContain('program');
    expect(tree).toContain('function_declaration');
    expect(tree).toContain('name: identifier "factorial"');
    await shot('ast');
    await page.click('#file-tab-asg');
    await expect.poll(async () => (await graphFacts(page, 'rtcAsg')).nodes.length).toBeGreaterThan(1);
    const asg = await graphFacts(page, 'rtcAsg');
    expect(asg.nodes.map((n) => n.qualifiedName)).toEqual(expect.arrayContaining(['factorial', 'round']));
    expect(asg.edges.map((e) => e.kind)).toContain('calls');
    await shot('asg');
  });

  it('follows a change on disk: version badge, toast, the open file view and the live search refreshed', async () => {
    await page.click('#file-tab-text');
    await page.waitForSelector('#file-source .line');
    const version = await page.textContent('#version');
    await page.check('#live-search');
    appendFileSync(
      join(repo, 'src/util/math.ts'),
      '\nexport function triple(x: number): number {\n  return x * 3;\n}\n',
    );
    await expect.poll(() => page.textContent('#version'), { timeout: 20_000 }).not.toBe(version);
    await expect
      .poll(() => page.textContent('#toast'), { timeout: 5_000 })
      .toMatch(/^version \d+: .*src\/util\/math\.ts/);
    await expect
      .poll(() => page.textContent('#file-source'), { timeout: 10_000 })
      .toContain('export function triple');
    // The last search ran again, over the new version.
    const now = (await page.textContent('#version'))!.slice(1);
    await expect.poll(() => page.textContent('#summary'), { timeout: 10_000 }).toContain(`version ${now}`);
    await shot('live');
  });

  it('shows an error of the API in the error banner', async () => {
    await page.fill('#route', 'no-such-route');
    await page.click('#search-button');
    await page.waitForSelector('#error', { state: 'visible' });
    expect(await page.textContent('#error-code')).toMatch(/^RTC_/);
    expect(await page.textContent('#error-message')).toContain('no-such-route');
    await shot('error');
    await page.click('#error-close');
    expect(await page.isVisible('#error')).toBe(false);
    // The failed request is the only console error (Chromium reports the 400 itself).
    expect(consoleErrors.filter((text) => !text.includes('status of 400'))).toEqual([]);
  });
});
