// --basic-auth in a browser with examples/hello.c: the app's URL leads to the login page, a
// wrong password shows an error there, the right one goes back to the app, which is live (its
// seconds count up over the socket) and greets the user pn_session_user names; a login ended
// in another tab sends the live page back to the login page once its socket is refused; its
// Log out button ends the login, and the app's URL leads to the login page again.
// Screenshots: login.png, login-error.png, login-app.png, login-out.png.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, openBrowser, screenshot, startPane, watchPage } from './lib.mjs';

const PASSWORD = 'a browser test password';
let pane, browser;

before(async () => {
  pane = await startPane({ app: 'examples/hello.c', args: ['--basic-auth', PASSWORD] });
  browser = await openBrowser();
});

after(async () => {
  await browser?.close();
  await pane?.stop();
});

test('log in through the form, see the live app, log out', async (t) => {
  const page = await browser.newPage();
  const seen = watchPage(page);
  t.after(() => page.close());
  const origin = new URL(pane.url).origin;

  await t.test('the app leads to the login page', async () => {
    await page.goto(pane.url, { waitUntil: 'load' });
    assert.equal(page.url(), `${origin}/login?next=/hello`);
    assert.equal(await page.title(), 'Log in');
    await page.locator('input[name=user]').waitFor();
    // the login page is styled by pane.css (the card has the header's colour on top)
    const border = await page.locator('.pn-login-card')
      .evaluate((e) => getComputedStyle(e).borderTopWidth);
    assert.equal(border, '4px');
    await screenshot(page, 'login');
  });

  await t.test('a wrong password shows an error and keeps the name', async () => {
    await page.fill('input[name=user]', 'Ada');
    await page.fill('input[name=password]', 'not it');
    await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
    await page.locator('.pn-login-error').waitFor();
    const error = await page.locator('.pn-login-error').textContent();
    assert.match(error, /Wrong user name or password/);
    assert.equal(await page.inputValue('input[name=user]'), 'Ada');
    await screenshot(page, 'login-error');
  });

  await t.test('the right password goes on to the live app', async () => {
    await page.fill('input[name=password]', PASSWORD);
    await Promise.all([page.waitForURL(`${origin}/hello`), page.click('button[type=submit]')]);
    await page.locator('.pn-card').first().waitFor();
    assert.match(await page.locator('.pn-card').first().textContent(), /Hello, Ada/);
    assert.equal(await page.title(), 'Hello, Ada');
    // live: the seconds count up over the socket
    await eventually(async () => {
      const v = await page.locator('.pn-number-value').first().textContent();
      assert.ok(Number.parseInt(v, 10) >= 2, `seconds: ${v}`);
    }, 10_000);
    const cookies = await page.context().cookies();
    const login = cookies.find((c) => c.name === 'pane_login');
    assert.ok(login, 'the login cookie');
    assert.equal(login.httpOnly, true);
    assert.equal(login.sameSite, 'Lax');
    await screenshot(page, 'login-app');
  });

  await t.test('a login ended elsewhere sends the live page to the login page', async () => {
    // logged out from another tab (the context's cookies), then the server restarts: the
    // page's socket is refused (401), its script finds the login over and reloads
    const r = await page.context().request.post(`${origin}/logout`, { maxRedirects: 0 });
    assert.equal(r.status(), 302);
    const port = new URL(pane.url).port;
    await pane.stop();
    const args = ['--basic-auth', PASSWORD, '--port', port];
    pane = await startPane({ app: 'examples/hello.c', args });
    await page.waitForURL(`${origin}/login?next=/hello`, { timeout: 20_000 });
    await page.fill('input[name=user]', 'Ada');
    await page.fill('input[name=password]', PASSWORD);
    await Promise.all([page.waitForURL(`${origin}/hello`), page.click('button[type=submit]')]);
    await page.locator('.pn-card').first().waitFor();
  });

  await t.test('Log out ends the login', async () => {
    await Promise.all([page.waitForURL(`${origin}/login?out=1`), page.click('text=Log out')]);
    await page.locator('.pn-login-notice').waitFor();
    await screenshot(page, 'login-out');
    const cookies = await page.context().cookies();
    assert.equal(cookies.find((c) => c.name === 'pane_login'), undefined);
    await page.goto(pane.url, { waitUntil: 'load' });
    assert.equal(page.url(), `${origin}/login?next=/hello`);
  });

  // the only responses >= 400 were the wrong password's 401; the socket refused while the
  // server restarted, and the script's look at /login cut short by the server's going or the
  // reload it asked for, are no errors
  assert.deepEqual(seen.pageErrors, []);
  const expected = (r) =>
    r.endsWith('/login: 401') || r.includes('/ws') || /\/login: net::/.test(r);
  assert.deepEqual(seen.badResponses.filter((r) => !expected(r)), []);
});
