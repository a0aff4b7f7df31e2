// Proof that travels: a student describes outcomes, the employer confirms
// them, and the student opens the signed credential, downloads it and can
// add it to LinkedIn. The downloaded file is then checked by an
// implementation nobody here wrote: the Digital Credentials Consortium's
// verifier (@digitalcredentials/vc with the eddsa-rdfc-2022 cryptosuite),
// with their own copies of the JSON-LD contexts and the issuer's keys read
// from Stint's /.well-known/did.json. A changed copy must fail, and a
// revocation must show in the published status list. The résumé export is
// checked against the JSON Resume schema, the PDF résumé is read with pdf.js,
// and calendar feeds are parsed with ical.js.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import zlib from 'node:zlib';
import * as vc from '@digitalcredentials/vc';
import { DataIntegrityProof } from '@digitalcredentials/data-integrity';
import { cryptosuite } from '@digitalcredentials/eddsa-rdfc-2022-cryptosuite';
import { securityLoader } from '@digitalcredentials/security-document-loader';
import { createRequire } from 'node:module';
import { startServer, launch, checkA11y, shot, signedIn } from './harness.mjs';

const { validate: validateResume } = createRequire(import.meta.url)('@jsonresume/schema');

let server;
let browser;
const STUDENT = 'j.oconnor@northbridge.example.ac.uk';
const BOSS = 'vikram.iyer@meridian-cg.example';
const PROJECT = 'Market sizing for a ready-to-cook breakfast range';

before(async () => {
  server = await startServer();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** The DCC's loader (contexts bundled in their packages, nothing fetched),
 * plus did:web resolution of Stint's own DID over plain HTTP (the test server
 * has no TLS), from the document Stint publishes. */
function loaderFor(base) {
  const contexts = securityLoader().build();
  return async (url) => {
    if (url.startsWith('did:web:')) {
      const [did, fragment] = url.split('#');
      const doc = await (await fetch(`${base}/.well-known/did.json`)).json();
      assert.equal(doc.id, did, 'the DID names this server');
      if (!fragment) return { contextUrl: null, documentUrl: url, document: doc };
      const method = doc.verificationMethod.find((m) => m.id === url);
      if (!method) throw new Error(`no verification method ${url}`);
      return { contextUrl: null, documentUrl: url, document: { '@context': doc['@context'], ...method } };
    }
    return contexts(url);
  };
}

async function dccVerify(credential) {
  const result = await vc.verifyCredential({
    credential,
    suite: new DataIntegrityProof({ cryptosuite }),
    documentLoader: loaderFor(server.base),
    // Status is checked below, from the list itself.
    checkStatus: async () => ({ verified: true }),
  });
  return result;
}

/** Whether the credential's bit is set in the status list Stint publishes,
 * after the DCC verifier has checked the list's own signature. */
async function revokedInList(credential) {
  const entry = credential.credentialStatus;
  const list = await (await fetch(entry.statusListCredential)).json();
  const checked = await dccVerify(list);
  assert.equal(checked.verified, true, `status list: ${JSON.stringify(checked.error ?? checked.results)}`);
  const encoded = list.credentialSubject.encodedList;
  assert.equal(encoded[0], 'u', 'multibase base64url');
  const bits = zlib.gunzipSync(Buffer.from(encoded.slice(1), 'base64url'));
  assert.equal(bits.length, 131072 / 8);
  const i = Number(entry.statusListIndex);
  return (bits[Math.floor(i / 8)] & (0x80 >> (i % 8))) !== 0;
}

test('confirmed outcomes become a credential that another verifier accepts', async () => {
  // The student describes the outcomes of a paid project.
  const student = await signedIn(browser, server.base, STUDENT);
  await student.goto(`${server.base}/me/work`);
  await student.getByRole('link', { name: PROJECT }).first().click();
  await student.waitForURL(/\/engagements\/\d+$/);
  const workspace = student.url();
  await student.getByLabel(/^Outcomes, one per line/).fill('2 sizing methods built and reconciled\n14 inputs sourced with ranges');
  await student.getByRole('button', { name: 'Save portfolio entry' }).click();
  await student.waitForURL(/notice=achievement_saved/);

  // The employer confirms them.
  const boss = await signedIn(browser, server.base, BOSS);
  await boss.goto(workspace);
  await boss.getByRole('button', { name: 'Confirm these outcomes' }).click();
  await boss.waitForURL(/notice=achievement_confirmed/);

  // The student opens the credential from the workspace.
  await student.goto(workspace);
  await student.getByRole('link', { name: /Signed credential/ }).click();
  await student.waitForURL(/\/credentials\/[0-9a-f]{32}$/);
  const credentialPage = student.url();
  const page = student.locator('main');
  assert.match(await page.innerText(), /Signature valid, not revoked/);
  assert.match(await page.innerText(), /2 sizing methods built and reconciled/);
  const linkedin = await student.getByRole('link', { name: 'Add to LinkedIn' }).getAttribute('href');
  const li = new URL(linkedin);
  assert.equal(`${li.origin}${li.pathname}`, 'https://www.linkedin.com/profile/add');
  assert.equal(li.searchParams.get('startTask'), 'CERTIFICATION_NAME');
  assert.equal(li.searchParams.get('name'), PROJECT);
  assert.equal(li.searchParams.get('certUrl'), student.url());
  await checkA11y(student, 'credential page');
  await shot(student, '40-credential-1280');

  // Download the JSON and hand it to the independent verifier.
  const [download] = await Promise.all([
    student.waitForEvent('download'),
    student.getByRole('link', { name: 'Download the credential (JSON)' }).click(),
  ]);
  assert.match(download.suggestedFilename(), /^stint-credential-[0-9a-f]{32}\.json$/);
  const credential = JSON.parse(await fs.readFile(await download.path(), 'utf8'));
  assert.deepEqual(credential.type, ['VerifiableCredential', 'OpenBadgeCredential']);
  assert.equal(credential.id, student.url());
  const ok = await dccVerify(credential);
  assert.equal(ok.verified, true, JSON.stringify(ok.error ?? ok.results));
  assert.equal(await revokedInList(credential), false);

  const tampered = structuredClone(credential);
  tampered.credentialSubject.result[1].value = '20';
  assert.equal((await dccVerify(tampered)).verified, false, 'a changed outcome fails');
  const renamed = structuredClone(credential);
  renamed.credentialSubject.achievement.creator.name = 'Someone Else Ltd';
  assert.equal((await dccVerify(renamed)).verified, false, 'a changed employer fails');

  // The résumé (JSON Resume) lists the project with its outcomes and the
  // credential, and the published JSON Resume schema accepts it.
  await student.goto(`${server.base}/me/profile`);
  const [resumeFile] = await Promise.all([
    student.waitForEvent('download'),
    student.getByRole('link', { name: 'Download résumé (JSON)' }).click(),
  ]);
  const resume = JSON.parse(await fs.readFile(await resumeFile.path(), 'utf8'));
  const errors = await new Promise((resolve) => validateResume(resume, (errs) => resolve(errs)));
  assert.equal(errors, null, JSON.stringify(errors));
  const work = resume.work.find((w) => w.position === PROJECT);
  assert.deepEqual(work.highlights, ['2 sizing methods built and reconciled', '14 inputs sourced with ranges']);
  assert.ok(resume.certificates.some((c) => c.url === credential.id), 'the credential is listed');

  // The PDF résumé: a reader nobody here wrote (pdf.js) finds the project
  // and its outcomes in it, on A4 (the student's university is in the UK).
  const [pdfFile] = await Promise.all([
    student.waitForEvent('download'),
    student.getByRole('link', { name: 'Download résumé (PDF)' }).click(),
  ]);
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const pdf = await getDocument({ data: new Uint8Array(await fs.readFile(await pdfFile.path())), disableFontFace: true }).promise;
  const first = await pdf.getPage(1);
  assert.equal(Math.round(first.view[2]), 595, 'A4 width');
  const text = (await first.getTextContent()).items.map((i) => i.str).join(' ');
  assert.match(text, /James O'Connor/);
  assert.ok(text.includes(PROJECT), text);
  assert.ok(text.includes('14 inputs sourced with ranges'), text);
  assert.ok(text.includes(credential.id), 'the credential link is printed');
  // The portfolio document adds what the employer asked for.
  const [portfolioFile] = await Promise.all([
    student.waitForEvent('download'),
    student.getByRole('link', { name: 'Download portfolio (PDF)' }).click(),
  ]);
  const full = await getDocument({ data: new Uint8Array(await fs.readFile(await portfolioFile.path())), disableFontFace: true }).promise;
  let fullText = '';
  for (let n = 1; n <= full.numPages; n++) {
    fullText += (await (await full.getPage(n)).getTextContent()).items.map((i) => i.str).join(' ');
  }
  assert.match(fullText, /Portfolio of verified work/);
  assert.match(fullText, /What the employer asked for/);
  assert.ok(fullText.includes('Every input sourced or marked as an assumption'), fullText);

  // At phone width the page fits.
  const phone = await signedIn(browser, server.base, STUDENT, { width: 390, height: 844 });
  await phone.goto(credentialPage);
  const [scroll, inner] = await phone.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  assert.ok(scroll <= inner, `credential page scrolls sideways at 390 px: ${scroll} > ${inner}`);
  await checkA11y(phone, 'credential page at 390 px');
  await shot(phone, '41-credential-390');

  // An admin revokes it; the page and the status list say so.
  const admin = await signedIn(browser, server.base, 'admin@stint.example');
  await admin.goto(credentialPage);
  await admin.getByLabel('Reason (shown on this page)').fill('Revoked in a test: the employer withdrew the confirmation.');
  await admin.getByRole('button', { name: 'Revoke this credential' }).click();
  await admin.waitForURL(/notice=credential_revoked/);
  assert.match(await admin.locator('main').innerText(), /Revoked\. The signature is valid, but the issuer revoked this credential/);
  assert.equal(await revokedInList(credential), true);
  for (const p of [student, boss, phone, admin]) await p.context().close();
});

test('calendar feeds parse with an independent iCalendar library', async () => {
  const { default: ICAL } = await import('ical.js');
  async function feedOf(email) {
    const page = await signedIn(browser, server.base, email);
    await page.goto(`${server.base}/account`);
    await page.getByRole('button', { name: 'Turn on a calendar address' }).click();
    await page.waitForURL(/notice=calendar_on/);
    const url = await page.getByLabel('Your calendar address').inputValue();
    await checkA11y(page, 'account with a calendar address');
    await page.context().close();
    const res = await fetch(url);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^text\/calendar/);
    const calendar = new ICAL.Component(ICAL.parse(await res.text()));
    return calendar.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
  }

  // A student with work in progress: its due date, as a whole day.
  const student = await feedOf('pooja.reddy@dit.example.ac.in');
  const due = student.find((e) => e.summary === 'Due: Write 30 chemistry quiz questions with explanations');
  assert.ok(due, `events: ${student.map((e) => e.summary).join(' | ')}`);
  assert.equal(due.startDate.isDate, true, 'a whole day');
  assert.ok(due.uid.startsWith('due-'));

  // An employer with delivered work waiting: a moment, in UTC.
  const employer = await feedOf('sofia@greenway.example');
  const review = employer.find((e) => e.summary === 'Review the work: Estimate the carbon footprint of 10 small restaurants');
  assert.ok(review, `events: ${employer.map((e) => e.summary).join(' | ')}`);
  assert.equal(review.startDate.isDate, false);
  assert.equal(review.startDate.zone.tzid, 'UTC');
  assert.ok(review.startDate.toJSDate() > new Date(), 'auto-approval is still ahead');
  assert.ok(employer.some((e) => e.summary.startsWith('Applications close: ')));
});
