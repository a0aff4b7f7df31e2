// Money moved by hand, as an operator runs it: the employer hires through
// the confirmation (price, fee, total), an admin records the employer's
// payment, the student delivers and the employer approves through its
// confirmation, the admin opens the student's payout details (audited) and
// records the payout, the employer opens the receipt and the student
// downloads their earnings. Pages are checked with axe and photographed at
// 1280 px and 390 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { startServer, launch, checkA11y, shot, signedIn } from './harness.mjs';

let server;
let browser;
const DEMO_PASSWORD = 'stint-demo-2026';
const PROJECT = 'Summarise ESG disclosures of five FMCG peers';
const STUDENT = 'Priyanka Bose';

before(async () => {
  server = await startServer({ provider: 'manual' });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function as(email, width = 1280) {
  return signedIn(browser, server.base, email, { width, password: DEMO_PASSWORD });
}

async function noSideways(page, label) {
  const wide = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
  assert.equal(wide, false, `${label} scrolls sideways`);
}

test('hire, receive, approve, pay out, receipt and earnings, by hand', async () => {
  const boss = await as('vikram.iyer@meridian-cg.example');
  const admin = await as('admin@stint.example');
  const student = await as('p.bose@northbridge.example.ac.uk');

  // The employer hires from the applicants page, through the confirmation.
  await boss.goto(`${server.base}/employer`);
  // The home lists what needs deciding first: the applicants of the project.
  await boss.locator('.todo').getByRole('link', { name: new RegExp(PROJECT) }).click();
  await boss.waitForURL(/\/applicants$/);
  await boss.getByRole('link', { name: `Hire ${STUDENT}…` }).click();
  const quote = await boss.locator('main').innerText();
  assert.match(quote, /You pay/);
  assert.match(quote, /payment instructions/);
  await checkA11y(boss, 'hire confirmation (manual)');
  await boss.getByRole('button', { name: /^Hire and pay/ }).click();
  await boss.waitForURL(/notice=hired/);

  // The admin records the employer's payment.
  await admin.goto(`${server.base}/admin/payments`);
  const receive = admin.locator('section', { has: admin.getByRole('heading', { name: /To receive from employers/ }) });
  const row = receive.locator('tr', { hasText: PROJECT });
  await row.getByRole('textbox').fill('NEFT-E2E-0042');
  await row.getByRole('button', { name: 'Received' }).click();
  await admin.waitForURL(/notice=deposit_recorded/);

  // The student delivers; the employer approves through its confirmation.
  await student.goto(`${server.base}/me/work`);
  await student.getByRole('link', { name: PROJECT }).click();
  await student.getByLabel(/What you deliver/).fill('A comparison of ESG disclosures of five FMCG peers, with sources.');
  await student.getByRole('button', { name: 'Submit work' }).click();
  await student.waitForURL(/notice=submitted/);
  const workspace = student.url();
  await boss.goto(workspace);
  await boss.getByRole('link', { name: /Approve and release/ }).click();
  assert.match(await boss.locator('main').innerText(), /Released to the student/);
  await boss.getByRole('button', { name: /Approve and release/ }).click();
  await boss.waitForURL(/notice=approved/);

  // The admin opens the payout details (whole, once asked) and records the payout.
  await admin.goto(`${server.base}/admin/payments`);
  const payouts = admin.locator('section', { has: admin.getByRole('heading', { name: /To pay out to students/ }) });
  let prow = payouts.locator('tr', { hasText: PROJECT });
  assert.match(await prow.innerText(), /UK account ••••/);
  await prow.getByRole('button', { name: 'Show details to pay' }).click();
  prow = admin.locator('section', { has: admin.getByRole('heading', { name: /To pay out to students/ }) }).locator('tr', { hasText: PROJECT });
  assert.match(await prow.innerText(), /Sort code\s*20-00-00/);
  await checkA11y(admin, 'admin payments with details');
  await shot(admin, '30-admin-payout-details');
  await prow.getByRole('textbox').fill('FPS-E2E-7');
  await prow.getByRole('button', { name: 'Paid out' }).click();
  await admin.waitForURL(/notice=payout_recorded/);
  assert.match(await admin.locator('main').innerText(), /Payout speed/);

  // The student is paid, and downloads the record.
  await student.goto(`${server.base}/me/work`);
  assert.match(await student.locator('main').innerText(), /Paid/);
  const [download] = await Promise.all([
    student.waitForEvent('download'),
    student.getByRole('link', { name: /Download earnings and payouts/ }).click(),
  ]);
  const csv = await fs.readFile(await download.path(), 'utf8');
  assert.match(csv, /Paid out to you,[0-9.]+,[A-Z]{3},FPS-E2E-7/);

  // The employer's receipt shows the payment received by bank transfer.
  await boss.goto(`${server.base}/employer/billing`);
  await boss.getByRole('row', { name: new RegExp(PROJECT) }).getByRole('link').click();
  const receipt = await boss.locator('main').innerText();
  assert.match(receipt, /Paid by bank transfer on .*NEFT-E2E-0042/);
  await checkA11y(boss, 'receipt (manual)');
  await shot(boss, '31-receipt-manual');

  // The money pages at phone width: readable, no sideways scrolling.
  for (const [page, path, name] of [
    [await as('p.bose@northbridge.example.ac.uk', 390), '/me/payout', '32-payout-390'],
    [await as('vikram.iyer@meridian-cg.example', 390), '/employer/billing', '33-billing-390'],
    [await as('admin@stint.example', 390), '/admin/payments', '34-admin-payments-390'],
  ]) {
    await page.goto(`${server.base}${path}`);
    await checkA11y(page, name);
    await noSideways(page, name);
    await shot(page, name);
  }
});
