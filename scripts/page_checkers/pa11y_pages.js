// pa11y (HTML_CodeSniffer and axe-core, WCAG 2.1 AA) on every URL given, in one Chromium (scripts/check_pages.py).
// Usage: node pa11y_pages.js URL...   Prints one JSON object: {url: [issues...]}; exits 2 if pa11y itself failed.
"use strict";
const pa11y = require("pa11y");
const puppeteer = require("puppeteer");
const chromium = require("../chromium.json");

async function main(urls) {
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || chromium.path,
    args: chromium.args.filter((arg) => arg !== "--headless"), // puppeteer adds its own
    headless: true,
  });
  const found = {};
  try {
    for (const url of urls) {
      const page = await browser.newPage();
      try {
        const result = await pa11y(url, {
          browser,
          page,
          runners: ["htmlcs", "axe"],
          standard: "WCAG2AA",
          includeWarnings: false,
          includeNotices: false,
          timeout: 60000,
        });
        found[url] = result.issues.map((i) => ({
          runner: i.runner, code: i.code, message: i.message, selector: i.selector, context: i.context,
        }));
      } finally {
        await page.close();
      }
    }
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify(found));
}

main(process.argv.slice(2)).catch((error) => {
  console.error(error && error.stack ? error.stack : String(error));
  process.exit(2);
});
