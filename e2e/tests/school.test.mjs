// A university's school page and the projects it puts before its students,
// in a browser, on the demo: the public page with its featured projects and
// the one arranged for its students; career staff feature a project from
// its page; a student of the university opens the arranged project while
// a student of another university cannot; an employer sets who can apply to
// a draft. At both widths, with axe, and nothing scrolls sideways.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, checkA11y, shot, signedIn, noSidewaysScroll } from './harness.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const ARRANGED = 'Map our distributor onboarding process';

for (const width of [1280, 390]) {
  test(`the school page at ${width} px`, async () => {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${server.base}/u/deccan-institute-of-technology`);
    assert.match(await page.locator('h1').innerText(), /Deccan Institute of Technology on Stint/);
    const arranged = page.locator('li.card').filter({ hasText: ARRANGED });
    assert.equal(await arranged.count(), 1, 'the project arranged for its students is listed');
    assert.ok(await arranged.getByText('Only for Deccan Institute of Technology students').isVisible());
    assert.ok((await page.getByText('From the career centre:').count()) >= 1, 'featured projects carry the note');
    assert.ok(await page.getByRole('link', { name: 'Sign up as a student' }).isVisible());
    await noSidewaysScroll(page, `school page at ${width} px`);
    await checkA11y(page, `school page at ${width} px`);
    await shot(page, `${width}-school`);
    // Not for the public: the arranged project sends a visitor to sign in.
    await Promise.all([page.waitForNavigation(), arranged.getByRole('link', { name: ARRANGED }).click()]);
    assert.match(page.url(), /\/login\?next=/);
    await context.close();
  });
}

test('career staff feature a project from its page, and stop', async () => {
  const page = await signedIn(browser, server.base, 'careers@dit.example.ac.in', { width: 390 });
  await page.goto(`${server.base}/projects?q=onboarding%20copy`);
  await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Write onboarding copy for a retail inventory app' }).click()]);
  await page.fill('#feature-note', 'Good for the data module.');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Feature for your students' }).click()]);
  assert.ok(await page.getByText('Your university features this project').isVisible());
  await checkA11y(page, 'a featured project, as career staff');
  await shot(page, '390-project-featured');
  await page.goto(`${server.base}/u/deccan-institute-of-technology`);
  assert.ok(await page.getByText('Good for the data module.').isVisible());
  await page.goto(`${server.base}/university/projects`);
  const row = page.locator('tr').filter({ hasText: 'Write onboarding copy' });
  assert.ok(await row.getByText('Featured').first().isVisible());
  assert.ok(await page.locator('tr').filter({ hasText: ARRANGED }).getByText('Only for your students').isVisible());
  await noSidewaysScroll(page, 'portal projects at 390 px');
  await Promise.all([page.waitForNavigation(), row.getByRole('button', { name: 'Stop featuring' }).click()]);
  assert.equal(await page.locator('tr').filter({ hasText: 'Write onboarding copy' }).getByText('Featured').count(), 0);
  await page.context().close();
});

test('only the university’s students open an arranged project', async () => {
  const asha = await signedIn(browser, server.base, 'asha.rao@dit.example.ac.in', { width: 390 });
  await asha.goto(`${server.base}/me/university`);
  await Promise.all([asha.waitForNavigation(), asha.getByRole('link', { name: ARRANGED }).click()]);
  const url = asha.url();
  assert.ok(await asha.getByText(/Arranged with Deccan Institute of Technology/).isVisible());
  assert.ok(await asha.getByRole('link', { name: 'Apply to this project' }).first().isVisible());
  await noSidewaysScroll(asha, 'an arranged project at 390 px');
  await checkA11y(asha, 'an arranged project, as its student');
  await shot(asha, '390-project-arranged');
  await asha.goto(`${server.base}/projects?q=distributor`);
  assert.equal(await asha.getByRole('link', { name: ARRANGED }).count(), 0, 'not in search');
  await asha.context().close();

  const james = await signedIn(browser, server.base, 'j.oconnor@northbridge.example.ac.uk');
  const r = await james.goto(url);
  assert.equal(r.status(), 404);
  await james.context().close();
});

test('an employer sets who can apply to a draft', async () => {
  const page = await signedIn(browser, server.base, 'priya@brightleaf.example');
  await page.goto(`${server.base}/employer`);
  await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Write SEO articles on customer analytics for small brands' }).first().click()]);
  await page.selectOption('#restrict-university', { label: 'Only students of Deccan Institute of Technology' });
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Save who can apply' }).click()]);
  assert.ok(await page.getByText('Saved who can apply to this project.').isVisible());
  assert.ok(await page.getByText(/Arranged with Deccan Institute of Technology/).isVisible());
  await checkA11y(page, 'a draft arranged with a university');
  await shot(page, '1280-draft-arranged');
  // Back to everyone, so the demo stays as it was.
  await page.selectOption('#restrict-university', { label: 'Every student on Stint' });
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Save who can apply' }).click()]);
  assert.equal(await page.getByText(/Arranged with/).count(), 0);
  await page.context().close();
});
