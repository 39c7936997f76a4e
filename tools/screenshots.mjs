// The manager's dashboard, a list page and home page in each language, and every role's home
// page in English (tools/screenshots.sh).
import { chromium } from "playwright-core";

const base = process.env.BASE_URL;
const out = process.env.OUT_DIR;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const outside = [];

async function login(user) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  page.on("request", (req) => { if (!req.url().startsWith(base)) outside.push(req.url()); });
  await page.goto(`${base}/login/`);
  await page.fill("#username", user);
  await page.fill("#password", process.env.DEMO_PASSWORD);
  await Promise.all([page.waitForNavigation(), page.click("input[type=submit], button[type=submit]")]);
  return page;
}

const page = await login("manager");

for (const lang of ["en", "zh_Hans", "zh_Hant"]) {
  await page.goto(`${base}/lang/${lang}`);
  await page.goto(`${base}/dashboard/`);
  await page.waitForFunction(() =>
    [...document.querySelectorAll(".chart-box")].every((b) => b.querySelector("canvas, svg, .empty-state, .chart-error")));
  await page.waitForTimeout(800); // let the short chart animations finish
  await page.screenshot({ path: `${out}/dashboard-${lang}.png`, fullPage: true });
  await page.goto(`${base}/ticketview/list/`);
  await page.screenshot({ path: `${out}/tickets-${lang}.png`, fullPage: false });
  await page.goto(`${base}/`);
  await page.screenshot({ path: `${out}/home-manager-${lang}.png`, fullPage: true });
  await page.goto(`${base}/kpi/`);
  await page.screenshot({ path: `${out}/kpi-${lang}.png`, fullPage: false });
}
for (const user of ["cs", "field1", "tech", "keeper"]) {
  const other = await login(user);
  await other.goto(`${base}/lang/en`);
  await other.goto(`${base}/`);
  await other.screenshot({ path: `${out}/home-${user}-en.png`, fullPage: true });
}
await browser.close();
if (outside.length) {
  console.error("requests left the machine:", outside);
  process.exit(1);
}
console.log(`screenshots in ${out}; no request left ${base}`);
