// Reads the PromQL queries of a Grafana dashboard and of a Prometheus rule
// file, for check-dashboard.mjs and check-metric-names.mjs.

import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";

/** Grafana's built-in interval variables, replaced by a fixed duration. */
const BUILT_IN_DURATIONS = { __rate_interval: "5m", __interval: "1m", __range: "1h" };

/** Returns every panel, including the panels nested in collapsed rows. */
export function allPanels(dashboard) {
  const panels = [];
  for (const panel of dashboard.panels ?? []) {
    panels.push(panel);
    panels.push(...(panel.panels ?? []));
  }
  return panels;
}

/**
 * Returns the dashboard's queries as { where, expr } records: every panel
 * target, and the metric selector inside each label_values() variable query.
 */
export function dashboardQueries(dashboard) {
  const queries = [];
  for (const panel of allPanels(dashboard)) {
    for (const target of panel.targets ?? []) {
      queries.push({ where: `panel ${panel.id} "${panel.title}" target ${target.refId}`, expr: target.expr });
    }
  }
  for (const variable of dashboard.templating?.list ?? []) {
    if (variable.type !== "query") {
      continue;
    }
    const text = typeof variable.query === "string" ? variable.query : variable.query?.query;
    const match = /^label_values\((.*),\s*[A-Za-z_][A-Za-z0-9_]*\)$/.exec(text ?? "");
    queries.push({ where: `variable ${variable.name}`, expr: match ? match[1] : text });
  }
  return queries;
}

/** Returns { where, expr } for every rule of a Prometheus rule file. */
export function ruleQueries(rulesFile) {
  const rules = parseYaml(readFileSync(rulesFile, "utf8"));
  const queries = [];
  for (const group of rules?.groups ?? []) {
    for (const rule of group.rules ?? []) {
      queries.push({ where: `rule ${rule.alert ?? rule.record}`, expr: rule.expr });
    }
  }
  return queries;
}

/**
 * Replaces Grafana variables with values that keep the query valid PromQL:
 * interval variables with a duration, every other variable with "x" (they
 * only appear inside label matcher strings). Returns the expression and the
 * names of the non-built-in variables it used.
 */
export function substituteVariables(expr) {
  const used = [];
  const text = expr.replace(/\$\{([A-Za-z0-9_]+)(?::[a-z]+)?\}|\$([A-Za-z0-9_]+)/g, (_, braced, bare) => {
    const name = braced ?? bare;
    if (name in BUILT_IN_DURATIONS) {
      return BUILT_IN_DURATIONS[name];
    }
    used.push(name);
    return "x";
  });
  return { expr: text, variables: used };
}

const PROMQL_WORDS = new Set([
  "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset",
  "and", "or", "unless",
]);

/**
 * Returns the metric names a query selects: identifiers followed by a label
 * matcher or a range, plus a bare name that is the whole query.
 * NOTE: a bare metric name inside a larger expression, without braces, is
 * not found. Every query of this repository uses braces.
 */
export function metricNames(expr) {
  const names = new Set();
  for (const match of expr.matchAll(/([A-Za-z_:][A-Za-z0-9_:]*)\s*[{[]/g)) {
    if (!PROMQL_WORDS.has(match[1])) {
      names.add(match[1]);
    }
  }
  const bare = expr.trim();
  if (/^[A-Za-z_:][A-Za-z0-9_:]*$/.test(bare)) {
    names.add(bare);
  }
  return [...names];
}
