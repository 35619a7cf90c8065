// The public site as a person sees it, in Debian's Chromium driven by
// playwright-core: home → a province in the navigation menu → down the
// region tree → a report → search for a phrase from it. Asserts visible text
// (title, breadcrumb, 演示数据, <mark> highlights), that the table of
// contents jumps, keyboard access (skip link), a phone-width layout without
// horizontal scrolling, and no console errors, CSP violations or failed
// requests. Screenshots go to the artifacts directory.
//
// Usage: node tests/browser/site.spec.mjs --url http://127.0.0.1:PORT/ --artifacts DIR
// (or BAOGAO_URL / BAOGAO_BROWSER_ARTIFACTS). Exits 1 on any failure.
import fs from 'node:fs';
import { arg, check, finish, launchChromium, loadChromium, shot as shotIn, watchedPage } from './harness.mjs';

const base = arg('--url', 'BAOGAO_URL');
const artifacts = arg('--artifacts', 'BAOGAO_BROWSER_ARTIFACTS');
if (!base || !artifacts) {
  console.error('usage: node site.spec.mjs --url URL --artifacts DIR');
  process.exit(2);
}
fs.mkdirSync(artifacts, { recursive: true });
const shot = (page, name) => shotIn(page, artifacts, name);

const t0 = Date.now();
const browser = await launchChromium(await loadChromium());
const problems = [];
try {
  const { context, page } = await watchedPage(browser, problems);

  // Home: the navigation menu, counts, a search box; the skip link comes first.
  await page.goto(base);
  check('home: title names the site', (await page.title()).includes('报告库'), await page.title());
  check('home: 导航菜单 visible', await page.getByRole('heading', { name: '导航菜单' }).isVisible());
  const intro = await page.locator('.intro').innerText();
  check('home: counts (共收录 N 份报告)', /共收录\s*\d+\s*份报告/.test(intro), intro);
  check('home: search box', await page.locator('#q-home').isVisible());
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => document.activeElement?.textContent?.trim());
  check('keyboard: the first Tab focuses the skip link 跳到正文', focused === '跳到正文', focused);
  await shot(page, '1-home');

  // A province from the navigation menu, then down the region tree.
  await page.locator('.menu-provinces').getByRole('link', { name: '山东省', exact: true }).click();
  await page.waitForURL(/\/region\/370000\/$/);
  check('region: heading 山东省', (await page.locator('h1').innerText()).trim() === '山东省',
        await page.locator('h1').innerText());
  await shot(page, '2-region-province');
  await page.locator('.region-children').getByRole('link', { name: '德州市' }).click();
  await page.waitForURL(/\/region\/371400\/$/);
  await page.locator('.region-children').getByRole('link', { name: '陵城区' }).click();
  await page.waitForURL(/\/region\/371403\/$/);
  const regionCrumbs = await page.locator('.breadcrumb li').allInnerTexts();
  check('region: breadcrumb ends 山东省 › 德州市 › 陵城区',
        regionCrumbs.slice(-3).join('›') === '山东省›德州市›陵城区', regionCrumbs.join(' › '));
  await shot(page, '3-region-county');

  // The 2023 report (the complete one, not the partial copy).
  const year2023 = page.locator('.year-group', { has: page.locator('h3', { hasText: '2023年' }) });
  const links = year2023.getByRole('link');
  check('region: 2023 lists a report', (await links.count()) >= 1, await year2023.innerText());
  const linkTitle = (await links.first().innerText()).trim();
  await links.first().click();
  await page.waitForURL(/\/baogao\/huadong\/\d+\.html$/);
  const reportUrl = page.url();
  const h1 = (await page.locator('h1#report-title').innerText()).trim();
  check('report: h1 is the title that was clicked', h1 === linkTitle && h1.includes('陵城区'), `${h1} / ${linkTitle}`);
  const crumbs = (await page.locator('.breadcrumb li').allInnerTexts()).map((s) => s.trim());
  check('report: breadcrumb 华东 › 山东省 › 德州市 › 陵城区',
        crumbs.join('›').includes('华东›山东省›德州市›陵城区'), crumbs.join(' › '));
  check('report: 演示数据 badge visible', await page.locator('.badge-demo').first().isVisible());
  check('report: type and date shown', /政府工作报告/.test(await page.locator('.report-meta').innerText()) &&
        /2023/.test(await page.locator('.report-meta time').innerText()),
        await page.locator('.report-meta').innerText());
  const permalink = await page.locator('.permalink a').innerText();
  check('report: 本文地址 is the full permalink', permalink.endsWith(new URL(reportUrl).pathname) &&
        /^https?:\/\//.test(permalink), permalink);
  const takedown = page.getByRole('link', { name: /侵权\/纠错/ });
  check('report: site notice and takedown link', await takedown.isVisible() &&
        /^\/takedown\/\d+$/.test(await takedown.getAttribute('href')), await takedown.getAttribute('href'));
  await shot(page, '4-report');

  // The CSP is enforced: an inline script injected into the page does not
  // run, and the browser reports the violation (expected, so not a problem).
  const before = problems.length;
  const violation = page.waitForEvent('console', { predicate: (m) => /Content Security Policy/.test(m.text()), timeout: 5000 })
    .then(() => true, () => false);
  const ran = await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__inlineRan = true;';
    document.body.appendChild(s);
    return window.__inlineRan === true;
  });
  check('CSP: an injected inline script does not run and is reported', !ran && (await violation), `ran=${ran}`);
  problems.splice(before);

  // The table of contents jumps to its heading.
  const tocLinks = page.locator('nav.toc a');
  const nToc = await tocLinks.count();
  check('report: table of contents with at least 2 entries', nToc >= 2, nToc);
  if (nToc >= 2) {
    const last = tocLinks.nth(nToc - 1);
    const href = await last.getAttribute('href');
    const text = (await last.innerText()).trim();
    await last.click();
    await page.waitForURL((u) => u.hash === href);
    const target = page.locator(`[id="${decodeURIComponent(href.slice(1))}"]`);
    const box = await target.boundingBox();
    check('toc: the anchor jumps to its heading (in view, same text)',
          box && box.y >= -2 && box.y < 450 && (await target.innerText()).includes(text),
          JSON.stringify({ href, box, text }));
    await shot(page, '5-report-toc-jump');
  }

  // Search for a phrase from the body, through the box in the header.
  const para = await page.locator('.report-body p').nth(1).innerText();
  const runs = para.match(/[\u4e00-\u9fff]{4,}/g) || [];
  const term = runs.length ? runs[Math.min(1, runs.length - 1)].slice(0, 4) : '发展';
  await page.locator('#q-top').fill(term);
  await page.locator('#q-top').press('Enter');
  await page.waitForURL(/\/search\?/);
  check('search: the box keeps the query', (await page.locator('#q-main').inputValue()) === term);
  const count = await page.locator('.result-count').innerText();
  check(`search ${term}: results counted`, /共找到\s*[1-9]\d*\s*份报告/.test(count), count);
  const resultLinks = await page.locator('.report-list a.report-link').evaluateAll((as) => as.map((a) => a.href));
  check(`search ${term}: the report is among the results`, resultLinks.includes(reportUrl), resultLinks.join('\n'));
  const marks = await page.locator('.snippet mark').allInnerTexts();
  check(`search ${term}: highlighted with <mark>`, marks.length > 0 && marks.every((m) => term.includes(m.trim())) &&
        marks.join('').includes(term.slice(0, 2)), marks.join('|'));
  check('search: <mark> is visibly highlighted',
        await page.locator('.snippet mark').first().evaluate((m) => getComputedStyle(m).backgroundColor !== 'rgba(0, 0, 0, 0)'));
  await shot(page, '6-search');

  // A facet narrows the query (a link, no JavaScript).
  const facet = page.locator('.facets a').first();
  if (await facet.count()) {
    const before = count;
    await facet.click();
    await page.waitForLoadState();
    const after = await page.locator('.result-count').innerText();
    check('search: a facet link narrows the query', /共找到/.test(after) && page.url().includes('q='), `${before} → ${after}`);
  }

  // A phone: no horizontal scrolling on the report page and the search page.
  const phone = await browser.newContext({ locale: 'zh-CN', viewport: { width: 375, height: 812 }, isMobile: true });
  const p2 = await phone.newPage();
  p2.on('console', (m) => { if (m.type() === 'error') problems.push(`console error (phone): ${m.text()}`); });
  for (const [name, url] of [['report', reportUrl], ['home', base]]) {
    await p2.goto(url);
    const over = await p2.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    check(`phone: ${name} page has no horizontal scroll`, over <= 1, `${over}px too wide`);
    await shot(p2, `7-phone-${name}`);
  }
  await phone.close();
  await context.close();
} catch (e) {
  check('journey ran to the end', false, e.stack || e);
} finally {
  await browser.close();
}
check('no console errors, CSP violations, failed requests or HTTP errors', problems.length === 0, problems.join('\n'));
finish(t0, artifacts);
