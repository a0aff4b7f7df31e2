// Invite-only projects and direct hire in a browser, on the demo: BrightLeaf's
// invite-only project is in no search; its employer offers the place to a
// past intern from the talent pool, at the total shown; the intern finds the
// offer on their home page, accepts it on the project page and lands in the
// workspace, hired. At both widths, with axe, and nothing scrolls sideways.
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

const as = (email, width) => signedIn(browser, server.base, email, { width });
const PROJECT = "Re-code this year's skincare survey with last year's codebook";
// A different past intern at each width, so each run offers anew.
const INTERN = {
  1280: { name: 'Ishita Iyer', email: 'ishita.iyer1@dit.example.ac.in' },
  390: { name: 'Vihaan Nair', email: 'vihaan.nair1@dit.example.ac.in' },
};

for (const width of [1280, 390]) {
  test(`invite-only project offered directly and accepted at ${width} px`, async () => {
    const who = INTERN[width];
    const boss = await as('priya@brightleaf.example', width);
    await boss.goto(`${server.base}/employer/talent?reason=completed`);
    await Promise.all([boss.waitForNavigation(), boss.getByRole('link', { name: who.name }).click()]);
    const form = boss.locator('form[action="/employer/talent/offer-place"]');
    const option = await form.locator('#direct-project option').first().innerText();
    assert.match(option, /skincare survey.*you pay ₹/);
    await form.getByLabel('Your note (optional)').fill('Your codebook is the one we trust; the place is yours if you want it.');
    await Promise.all([boss.waitForNavigation(), form.getByRole('button', { name: 'Offer the place' }).click()]);
    assert.match(await boss.locator('.notice').first().innerText(), /Offer sent/);
    assert.ok(await boss.locator('#invite').getByText('Offered', { exact: true }).isVisible());
    await noSidewaysScroll(boss, `pooled student after a direct offer at ${width} px`);
    await checkA11y(boss, `pooled student after a direct offer at ${width} px`);
    await shot(boss, `${width}-direct-offer-sent`);

    // The intern: not in search, but on their home page and the project page.
    const intern = await as(who.email, width);
    await intern.goto(`${server.base}/projects?q=codebook`);
    assert.equal(await intern.getByText(PROJECT).count(), 0, 'an invite-only project is in no search');
    await intern.goto(`${server.base}/`);
    await Promise.all([intern.waitForNavigation(), intern.getByRole('link', { name: `Project offered to you: ${PROJECT}` }).click()]);
    assert.match(await intern.locator('#invite-h').innerText(), /BrightLeaf Analytics offers you this project/);
    assert.ok(await intern.getByText('Your codebook is the one we trust').isVisible());
    assert.equal(await intern.getByRole('link', { name: 'Apply to this project' }).count(), 0);
    await noSidewaysScroll(intern, `direct offer at ${width} px`);
    await checkA11y(intern, `direct offer at ${width} px`);
    await shot(intern, `${width}-direct-offer`);
    await intern.getByLabel('Message to BrightLeaf Analytics (optional)').fill('Glad to be back; I will flag any new themes first.');
    await Promise.all([intern.waitForNavigation(), intern.getByRole('button', { name: 'Accept and start' }).click()]);
    assert.match(intern.url(), /\/engagements\/\d+/);
    assert.match(await intern.locator('.notice').first().innerText(), /You accepted the offer and are hired/);
    await checkA11y(intern, `workspace after accepting at ${width} px`);
    await intern.context().close();

    // Back with the employer: accepted, and the hire is on the project.
    await boss.reload();
    assert.ok(await boss.locator('#invite').getByText('Accepted, hired').first().isVisible());
    await boss.context().close();
  });
}

for (const width of [1280, 390]) {
  test(`analytics with charts, tables and CSV at ${width} px`, async () => {
    const boss = await as('priya@brightleaf.example', width);
    await boss.goto(`${server.base}/employer`);
    // "Analytics" in the main navigation (behind the menu on a phone).
    if (await boss.locator('details.menu').isVisible()) await boss.locator('details.menu summary').click();
    await Promise.all([boss.waitForNavigation(), boss.getByRole('link', { name: 'Analytics', exact: true }).filter({ visible: true }).first().click()]);
    assert.equal(await boss.locator('h1').innerText(), 'Analytics of BrightLeaf Analytics');
    assert.equal(await boss.locator('figure.chart svg[role="img"]').count(), 2, 'the funnel and spend charts');
    const views = Number(await boss.locator('#funnel-h ~ details tbody tr').first().locator('td').first().innerText());
    assert.ok(views > 0, `page views counted: ${views}`);
    await noSidewaysScroll(boss, `analytics at ${width} px`);
    await checkA11y(boss, `analytics at ${width} px`);
    await shot(boss, `${width}-analytics`);

    // One project, then its CSV.
    await boss.selectOption('#project', { label: PROJECT });
    await Promise.all([boss.waitForNavigation(), boss.getByRole('button', { name: 'Show analytics' }).click()]);
    assert.match(await boss.locator('.lead').innerText(), new RegExp(PROJECT.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    const [download] = await Promise.all([
      boss.waitForEvent('download'),
      boss.getByRole('link', { name: 'Download by project (CSV)' }).click(),
    ]);
    const csv = await (await download.createReadStream()).toArray();
    const text = Buffer.concat(csv).toString('utf8');
    assert.match(text, /^project_id,title,status,views,applications/);
    assert.ok(text.includes(PROJECT), text);

    // A bad period is explained, and nothing else changes.
    await boss.fill('#from', '2026-05-01');
    await boss.fill('#to', '2026-04-01');
    await Promise.all([boss.waitForNavigation(), boss.getByRole('button', { name: 'Show analytics' }).click()]);
    assert.match(await boss.locator('#to-error').innerText(), /ends on or after/);
    await checkA11y(boss, `analytics with an error at ${width} px`);
    await boss.context().close();
  });
}
