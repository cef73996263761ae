// Lists the metric names that the alert rules and the dashboard query but
// that a real scrape of the service does not contain.
//
//   node check-metric-names.mjs SCRAPE.txt RULES.yml DASHBOARD.json
//
// SCRAPE.txt is the body of GET /metrics. A metric counts as present when
// the scrape has a sample of that exact name. The synthetic series "up"
// is added by Prometheus itself and is always accepted.
//
// Exit status: 0 when every name is present, 1 otherwise, 2 on wrong usage.

import { readFileSync } from "node:fs";
import { dashboardQueries, metricNames, ruleQueries } from "./dashboard-queries.mjs";

const ADDED_BY_PROMETHEUS = new Set(["up"]);

function scrapedNames(scrapeFile) {
  const names = new Set();
  for (const line of readFileSync(scrapeFile, "utf8").split("\n")) {
    const match = /^([A-Za-z_:][A-Za-z0-9_:]*)[{ ]/.exec(line);
    if (match) {
      names.add(match[1]);
    }
  }
  return names;
}

function main(argv) {
  if (argv.length !== 3) {
    console.error("usage: node check-metric-names.mjs SCRAPE.txt RULES.yml DASHBOARD.json");
    return 2;
  }
  const [scrapeFile, rulesFile, dashboardFile] = argv;
  const scraped = scrapedNames(scrapeFile);
  const dashboard = JSON.parse(readFileSync(dashboardFile, "utf8"));
  const queries = [...ruleQueries(rulesFile), ...dashboardQueries(dashboard)];

  let missing = 0;
  const checked = new Set();
  for (const query of queries) {
    for (const name of metricNames(query.expr ?? "")) {
      checked.add(name);
      if (!scraped.has(name) && !ADDED_BY_PROMETHEUS.has(name)) {
        console.error(`MISSING ${name}, used by ${query.where}`);
        missing++;
      }
    }
  }
  if (missing > 0) {
    return 1;
  }
  console.log(`present: all ${checked.size} metric names of ${rulesFile} and ${dashboardFile} in ${scrapeFile}`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
