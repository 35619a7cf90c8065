// Comments as a reader and a moderator see them, in Debian's Chromium driven
// by playwright-core: a reader fills the real comment form under a report
// (nickname, a body with a link so that it is held, the captcha answer for
// the token in the page's hidden input), submits it and sees
// 评论已提交，审核通过后显示; the moderator signs in at /admin/login, approves
// it in /admin/comments, and the comment appears on the report page. Also
// checks that the captcha image loads and that there are no console errors,
// CSP violations or failed requests. Screenshots of every step go to the
// artifacts directory.
//
// Starts its own server: imports the demo reports into a temporary
// database, adds an admin with `baogao admin add` (password on stdin), and
// runs `baogao serve --admin-dev-mode` on 127.0.0.1:0 with min_fill_seconds
// = 0. The captcha answer comes from the test-only `captcha_peek`.
//
// Usage: node tests/browser/comments.spec.mjs --baogao PATH --captcha-peek PATH
//          --artifacts DIR
// Exits 1 on any failure.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { arg, check, finish, launchChromium, loadChromium, root, shot as shotIn, watchedPage } from './harness.mjs';

const baogao = arg('--baogao');
const peek = arg('--captcha-peek');
const artifacts = arg('--artifacts');
if (!baogao || !peek || !artifacts) {
  console.error('usage: node comments.spec.mjs --baogao PATH --captcha-peek PATH --artifacts DIR');
  process.exit(2);
}

const chromium = await loadChromium();

function must(args, input) {
  const r = spawnSync(args[0], args.slice(1), { input: input ?? '', encoding: 'utf8', timeout: 300000 });
  if (r.status !== 0) throw new Error(`${args.join(' ')} → ${r.status}: ${r.stderr}`);
  return r.stdout;
}

const ADMIN_USER = 'shenhe';
const ADMIN_PASSWORD = '审核员的口令 correct horse 42';
const t0 = Date.now();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'baogao-comments-'));
const db = path.join(tmp, 'demo.db');
fs.rmSync(artifacts, { recursive: true, force: true });
fs.mkdirSync(artifacts, { recursive: true });

let server = null;
let serverExit = null;
async function startServer() {
  must([baogao, 'import', path.join(root, 'data', 'demo', 'reports'), '--db', db]);
  must([baogao, 'admin', 'add', ADMIN_USER, '--db', db], ADMIN_PASSWORD + '\n');
  const config = path.join(tmp, 'baogao.toml');
  fs.writeFileSync(config, '[comments]\nmoderation = "links"\nmin_fill_seconds = 0\n');
  const err = fs.openSync(path.join(tmp, 'serve.err'), 'w');
  server = spawn(baogao, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--config', config,
    '--access-log', path.join(tmp, 'access.log'), '--admin-dev-mode'], { stdio: ['ignore', 'pipe', err] });
  serverExit = new Promise((resolve) => server.on('exit', (code, signal) => resolve({ code, signal })));
  return await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('baogao serve did not print its URL within 60 s')), 60000);
    server.stdout.on('data', (chunk) => {
      out += chunk.toString();
      const m = out.match(/http:\/\/[0-9.]+:\d+\//);
      if (m) {
        clearTimeout(timer);
        resolve(m[0]);
      }
    });
    server.on('exit', () => {
      clearTimeout(timer);
      reject(new Error('baogao serve exited: ' + fs.readFileSync(path.join(tmp, 'serve.err'), 'utf8')));
    });
  });
}

function answer(token) {
  return must([peek, db, token]).trim();
}

const problems = [];
let browser = null;
try {
  const base = await startServer();
  browser = await launchChromium(chromium);
  const { context, page } = await watchedPage(browser, problems);
  const shot = (name) => shotIn(page, artifacts, name);

  // A report from the home page.
  await page.goto(base);
  const first = page.locator('a.report-link').first();
  const title = (await first.innerText()).trim();
  await first.click();
  await page.waitForURL(/\/[a-z]+\/[a-z]+\/\d+\.html$/);
  const reportUrl = page.url();
  check('report: opened from the home page', (await page.locator('h1#report-title').innerText()).trim() === title,
        title);
  check('report: 还没有评论', await page.getByText('还没有评论。').isVisible());
  const form = page.locator('form#comment-form');
  await form.scrollIntoViewIfNeeded();
  await shot('1-report-comment-form');

  // The reader fills the form; the captcha answer is the one the image shows.
  const img = form.locator('img.captcha');
  await img.scrollIntoViewIfNeeded();
  await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, await img.elementHandle());
  check('captcha: the image loaded', await img.evaluate((el) => el.naturalWidth === 160 || el.naturalWidth > 0));
  const token = await form.locator('input[name="token"]').inputValue();
  check('form: a captcha token in the hidden input', /^v1\./.test(token), token);
  const nickname = '浏览器读者';
  const body = '演示评论：来自浏览器的测试，参见 https://example.org/browser-test 的说明。';
  await page.locator('#c-nick').fill(nickname);
  await page.locator('#c-body').fill(body);
  await page.locator('#c-captcha').fill(answer(token));
  // The honeypot: off-screen (not display:none, which some bots skip),
  // out of the tab order, hidden from screen readers.
  const hp = form.locator('input[name="website"]');
  const hpBox = await hp.boundingBox();
  check('form: the honeypot is out of sight and out of the tab order',
        (!hpBox || hpBox.x + hpBox.width <= 0 || hpBox.y + hpBox.height <= 0) &&
        (await hp.getAttribute('tabindex')) === '-1' &&
        (await hp.evaluate((el) => el.closest('[aria-hidden="true"]') !== null)), JSON.stringify(hpBox));
  await shot('2-form-filled');
  await form.getByRole('button', { name: '发表评论' }).click();
  await page.waitForURL(/[?&]posted=pending/);
  const notice = page.locator('.form-note.ok');
  check('submitted: 评论已提交，审核通过后显示', (await notice.innerText()).includes('评论已提交，审核通过后显示'),
        await notice.innerText());
  check('submitted: the held comment is not shown yet',
        (await page.locator('.comment-list').count()) === 0 && !(await page.content()).includes('browser-test'));
  await notice.scrollIntoViewIfNeeded();
  await shot('3-held-notice');

  // The moderator signs in and approves it.
  await page.goto(new URL('/admin/login', base).href);
  await page.locator('#a-user').fill(ADMIN_USER);
  await page.locator('#a-pass').fill(ADMIN_PASSWORD);
  await shot('4-admin-login');
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL(/\/admin\/$/);
  check('admin: signed in, 待审核评论：1 条', (await page.locator('main, body').first().innerText()).includes('待审核评论：1 条'),
        await page.locator('body').innerText());
  await shot('5-admin-home');
  await page.getByRole('link', { name: /待审核评论/ }).click();
  await page.waitForURL(/\/admin\/comments\?status=pending/);
  const row = page.locator('tr', { hasText: 'example.org/browser-test' });
  check('queue: the held comment is listed', (await row.count()) === 1, await row.count());
  check('queue: its nickname is shown', (await row.innerText()).includes(nickname), await row.innerText());
  await row.locator('input[type="checkbox"][name="id"]').check();
  await page.locator('#m-action').selectOption('approve');
  await shot('6-queue-selected');
  await page.getByRole('button', { name: '执行' }).click();
  await page.waitForURL(/\/admin\/comments\?status=pending$/);
  check('queue: empty after the approval', await page.getByText('没有这类评论。').isVisible());
  await shot('7-queue-after-approve');
  await page.goto(new URL('/admin/audit', base).href);
  check('audit: the approval is recorded', (await page.locator('body').innerText()).includes('comment.approve'));
  await shot('8-audit');

  // Back on the report page, as the reader: the comment is there.
  await page.goto(reportUrl);
  const shown = page.locator('.comment-list li.comment', { hasText: '来自浏览器的测试' });
  check('report: the approved comment appears', (await shown.count()) === 1, await shown.count());
  if ((await shown.count()) === 1) {
    check('report: with its nickname', (await shown.locator('.nick').innerText()).trim() === nickname);
    const link = shown.locator('a[href="https://example.org/browser-test"]');
    check('report: its link is a nofollow link', (await link.count()) === 1 &&
          /nofollow/.test(await link.getAttribute('rel')), await shown.innerHTML());
    check('report: 共有 1 条评论', (await page.locator('#comments-h').innerText()).includes('共有 1 条评论'),
          await page.locator('#comments-h').innerText());
    await shown.scrollIntoViewIfNeeded();
  }
  await shot('9-comment-visible');
  await context.close();
} catch (e) {
  check('journey ran to the end', false, e.stack || e);
} finally {
  if (browser) await browser.close();
  if (server && server.exitCode === null && server.signalCode === null) {
    server.kill('SIGTERM');
    const { code, signal } = await serverExit;
    check('baogao serve: SIGTERM → exit 0', code === 0, `code ${code} signal ${signal}`);
  }
  fs.rmSync(tmp, { recursive: true, force: true });
}
check('no console errors, CSP violations, failed requests or HTTP errors', problems.length === 0, problems.join('\n'));
finish(t0, artifacts);
