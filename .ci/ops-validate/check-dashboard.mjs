// Checks the Grafana dashboard JSON and its provisioning files.
//
//   node check-dashboard.mjs DASHBOARD.json DATASOURCES.yml DASHBOARD_PROVIDERS.yml
//
// - The dashboard parses as JSON and has a uid, a title and panels.
// - Panel ids are unique, and every panel fits the 24-column grid.
// - Every panel and target uses the data source variable ${datasource},
//   and that variable defaults to the uid of the provisioned Prometheus
//   data source, so the provisioned dashboard finds its data.
// - Every variable a query uses is defined in the dashboard.
// - Every query is valid PromQL: the queries, with Grafana variables
//   replaced, become recording rules in a temporary file that
//   `promtool check rules` must accept (promtool must be on PATH).
// - The dashboard provider loads the folder in which the compose stack
//   mounts the dashboard.
//
// Exit status: 0 when everything holds, 1 otherwise, 2 on wrong usage.

import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { allPanels, dashboardQueries, substituteVariables } from "./dashboard-queries.mjs";

const DATASOURCE_REFERENCE = "${datasource}";
const GRID_COLUMNS = 24;
/** Mount point of monitoring/grafana/dashboards in docker-compose.yml. */
const COMPOSE_DASHBOARD_FOLDER = "/var/lib/grafana/dashboards";

function checkLayout(dashboard, failures) {
  for (const field of ["uid", "title"]) {
    if (typeof dashboard[field] !== "string" || dashboard[field] === "") {
      failures.push(`dashboard has no ${field}`);
    }
  }
  const panels = allPanels(dashboard);
  if (panels.length === 0) {
    failures.push("dashboard has no panels");
  }
  const ids = new Set();
  for (const panel of panels) {
    const name = `panel ${panel.id} "${panel.title}"`;
    if (!Number.isInteger(panel.id) || ids.has(panel.id)) {
      failures.push(`${name}: the id is missing or used twice`);
    }
    ids.add(panel.id);
    const grid = panel.gridPos ?? {};
    if (![grid.h, grid.w, grid.x, grid.y].every(Number.isInteger) || grid.x + grid.w > GRID_COLUMNS) {
      failures.push(`${name}: gridPos ${JSON.stringify(panel.gridPos)} does not fit the ${GRID_COLUMNS}-column grid`);
    }
    if (panel.type === "row") {
      continue;
    }
    if (panel.datasource?.uid !== DATASOURCE_REFERENCE) {
      failures.push(`${name}: data source ${JSON.stringify(panel.datasource)} is not ${DATASOURCE_REFERENCE}`);
    }
    const targets = panel.targets ?? [];
    if (targets.length === 0) {
      failures.push(`${name}: no query`);
    }
    const refIds = new Set();
    for (const target of targets) {
      if (target.datasource?.uid !== DATASOURCE_REFERENCE) {
        failures.push(`${name} target ${target.refId}: data source is not ${DATASOURCE_REFERENCE}`);
      }
      if (typeof target.expr !== "string" || target.expr.trim() === "") {
        failures.push(`${name} target ${target.refId}: empty expr`);
      }
      if (refIds.has(target.refId)) {
        failures.push(`${name}: refId ${target.refId} used twice`);
      }
      refIds.add(target.refId);
    }
  }
}

function checkDatasource(dashboard, datasourcesFile, failures) {
  const variable = (dashboard.templating?.list ?? []).find((entry) => entry.name === "datasource");
  if (variable?.type !== "datasource" || variable.query !== "prometheus") {
    failures.push('the dashboard has no variable "datasource" of type datasource for Prometheus');
    return;
  }
  const provisioned = parseYaml(readFileSync(datasourcesFile, "utf8"), { uniqueKeys: true });
  const prometheus = (provisioned?.datasources ?? []).filter((source) => source.type === "prometheus");
  if (prometheus.length !== 1) {
    failures.push(`${datasourcesFile}: expected one Prometheus data source, found ${prometheus.length}`);
    return;
  }
  if (variable.current?.value !== prometheus[0].uid) {
    failures.push(
      `variable "datasource" defaults to ${JSON.stringify(variable.current?.value)}, ` +
        `but ${datasourcesFile} provisions uid ${JSON.stringify(prometheus[0].uid)}`,
    );
  }
}

function checkProvider(providersFile, failures) {
  const provisioned = parseYaml(readFileSync(providersFile, "utf8"), { uniqueKeys: true });
  const paths = (provisioned?.providers ?? []).map((provider) => provider.options?.path);
  if (!paths.includes(COMPOSE_DASHBOARD_FOLDER)) {
    failures.push(`${providersFile}: no provider loads ${COMPOSE_DASHBOARD_FOLDER}`);
  }
}

function checkQueries(dashboard, failures) {
  const defined = new Set((dashboard.templating?.list ?? []).map((variable) => variable.name));
  const rules = [];
  for (const [index, query] of dashboardQueries(dashboard).entries()) {
    if (typeof query.expr !== "string") {
      failures.push(`${query.where}: no query text`);
      continue;
    }
    const { expr, variables } = substituteVariables(query.expr);
    for (const name of variables.filter((used) => !defined.has(used))) {
      failures.push(`${query.where}: uses undefined variable $${name}`);
    }
    rules.push({ record: `dashboard:query_${index}`, expr });
  }

  const workDir = mkdtempSync(join(tmpdir(), "dashboard-promql-"));
  try {
    const rulesFile = join(workDir, "dashboard-queries.rules.yml");
    writeFileSync(rulesFile, stringifyYaml({ groups: [{ name: "dashboard", rules }] }));
    const result = spawnSync("promtool", ["check", "rules", rulesFile], { encoding: "utf8" });
    if (result.error) {
      failures.push(`promtool could not run: ${result.error.message}`);
    } else if (result.status !== 0) {
      failures.push(`promtool rejects a dashboard query:\n${result.stdout}${result.stderr}`);
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  return rules.length;
}

function main(argv) {
  if (argv.length !== 3) {
    console.error("usage: node check-dashboard.mjs DASHBOARD.json DATASOURCES.yml DASHBOARD_PROVIDERS.yml");
    return 2;
  }
  const [dashboardFile, datasourcesFile, providersFile] = argv;
  const failures = [];
  let dashboard;
  try {
    dashboard = JSON.parse(readFileSync(dashboardFile, "utf8"));
  } catch (error) {
    console.error(`INVALID ${dashboardFile}: ${error.message}`);
    return 1;
  }
  checkLayout(dashboard, failures);
  checkDatasource(dashboard, datasourcesFile, failures);
  checkProvider(providersFile, failures);
  const queryCount = checkQueries(dashboard, failures);

  if (failures.length > 0) {
    for (const failure of failures) {
      console.error(`INVALID ${failure}`);
    }
    return 1;
  }
  console.log(`valid: ${dashboardFile}, ${allPanels(dashboard).length} panels, ${queryCount} PromQL queries`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
