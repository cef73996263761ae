// Validates rendered Kubernetes manifests (the output of `kubectl kustomize`)
// against the Kubernetes API and Prometheus Operator schemas.
//
//   node validate-k8s.mjs [--rules RULES_FILE] RENDERED.yaml...
//
// Every object goes through two checks, and either one failing fails the run:
//  1. JSON Schema: the validate() method of the object's class in
//     kubernetes-models (Kubernetes 1.32 OpenAPI schemas compiled with ajv)
//     or @kubernetes-models/prometheus-operator. It checks types, formats
//     and required fields, but not unknown fields, because the schemas
//     allow additional properties.
//  2. Unknown fields: the TypeScript compiler checks each object as a typed
//     object literal against the same packages' interfaces. Excess property
//     checks reject any field that the API type does not declare, such as
//     a misspelled probe name, which the API server would otherwise reject
//     or drop at apply time.
// An object whose apiVersion and kind have no model is an error too.
// With --rules, the spec.groups of every PrometheusRule must equal the
// groups of RULES_FILE, which promtool checks and unit-tests.
//
// Exit status: 0 when every object is valid, 1 when any check fails, 2 on
// wrong usage.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { isDeepStrictEqual } from "node:util";
import ts from "typescript";
import { parseAllDocuments, parse as parseYaml } from "yaml";

const validatorDir = dirname(fileURLToPath(import.meta.url));

/** Returns the module path of the model for an apiVersion and kind, or null. */
function modelModule(apiVersion, kind) {
  if (!/^[A-Za-z0-9]+$/.test(kind)) {
    return null;
  }
  if (/^v[0-9]+$/.test(apiVersion)) {
    return `kubernetes-models/${apiVersion}/${kind}`;
  }
  const match = /^([a-z0-9.-]+)\/(v[0-9]+(?:(?:alpha|beta)[0-9]+)?)$/.exec(apiVersion);
  if (!match) {
    return null;
  }
  const [, group, version] = match;
  if (group === "monitoring.coreos.com") {
    return `@kubernetes-models/prometheus-operator/${group}/${version}/${kind}`;
  }
  return `kubernetes-models/${group}/${version}/${kind}`;
}

/** Reads every YAML document of the given files and records YAML errors as failures. */
function readObjects(files, failures) {
  const objects = [];
  for (const file of files) {
    const documents = parseAllDocuments(readFileSync(file, "utf8"), { uniqueKeys: true });
    documents.forEach((document, index) => {
      for (const problem of [...document.errors, ...document.warnings]) {
        failures.push(`${file}, document ${index + 1}: invalid YAML: ${problem.message}`);
      }
      const value = document.toJS();
      if (value !== null && value !== undefined) {
        objects.push({ source: `${file}, document ${index + 1}`, value });
      }
    });
  }
  return objects;
}

function describe(object) {
  const kind = object.value?.kind ?? "(no kind)";
  const name = object.value?.metadata?.name ?? "(no name)";
  return `${kind} ${name} (${object.source})`;
}

/** Check 1: required fields, names and the JSON Schema of each object's model. */
async function validateSchemas(objects, failures) {
  const seen = new Set();
  for (const object of objects) {
    const { apiVersion, kind, metadata } = object.value;
    if (typeof apiVersion !== "string" || typeof kind !== "string") {
      failures.push(`${describe(object)}: missing apiVersion or kind`);
      continue;
    }
    if (typeof metadata?.name !== "string" || metadata.name === "") {
      failures.push(`${describe(object)}: missing metadata.name`);
    }
    const identity = `${apiVersion} ${kind} ${metadata?.namespace ?? ""}/${metadata?.name}`;
    if (seen.has(identity)) {
      failures.push(`${describe(object)}: a second object with the same kind, namespace and name`);
    }
    seen.add(identity);

    const module = modelModule(apiVersion, kind);
    let Model;
    try {
      Model = module && (await import(module))[kind];
    } catch {
      Model = undefined;
    }
    if (typeof Model !== "function") {
      failures.push(`${describe(object)}: no schema for apiVersion ${apiVersion}, kind ${kind}`);
      continue;
    }
    object.module = module;
    try {
      new Model(object.value).validate();
    } catch (error) {
      if (!Array.isArray(error.errors)) {
        throw error;
      }
      for (const problem of error.errors) {
        const where = problem.instancePath || "/";
        const detail = problem.params ? ` ${JSON.stringify(problem.params)}` : "";
        failures.push(`${describe(object)}: ${where} ${problem.message}${detail}`);
      }
    }
  }
}

/**
 * Writes a value as TypeScript source, one property per line, and records
 * the JSON path of each line so that compiler diagnostics can name it.
 */
function writeLiteral(value, path, indent, lines, prefix, suffix) {
  const pad = "  ".repeat(indent);
  if (Array.isArray(value) || (value !== null && typeof value === "object")) {
    const isArray = Array.isArray(value);
    const entries = isArray ? value.map((item, i) => [i, item]) : Object.entries(value);
    if (entries.length === 0) {
      lines.push({ text: `${pad}${prefix}${isArray ? "[]" : "{}"}${suffix}`, path });
      return;
    }
    lines.push({ text: `${pad}${prefix}${isArray ? "[" : "{"}`, path });
    entries.forEach(([key, item], i) => {
      const itemPrefix = isArray ? "" : `${JSON.stringify(key)}: `;
      const itemSuffix = i < entries.length - 1 ? "," : "";
      writeLiteral(item, `${path}/${key}`, indent + 1, lines, itemPrefix, itemSuffix);
    });
    lines.push({ text: `${pad}${isArray ? "]" : "}"}${suffix}`, path });
    return;
  }
  lines.push({ text: `${pad}${prefix}${JSON.stringify(value)}${suffix}`, path });
}

/** Check 2: compiles each object as a typed literal to find unknown fields. */
function checkUnknownFields(objects, failures) {
  const typed = objects.filter((object) => object.module);
  if (typed.length === 0) {
    return;
  }
  const lines = [];
  typed.forEach((object, i) => {
    lines.push({ text: `import type { I${object.value.kind} as Type${i} } from ${JSON.stringify(object.module)};`, object });
  });
  typed.forEach((object, i) => {
    const start = lines.length;
    writeLiteral(object.value, "", 0, lines, `export const object${i}: Type${i} = `, ";");
    for (let line = start; line < lines.length; line++) {
      lines[line].object = object;
    }
  });

  // The file must sit below this folder so that its imports resolve to
  // this folder's node_modules.
  const workDir = mkdtempSync(join(validatorDir, ".generated-"));
  try {
    const sourceFile = join(workDir, "manifests.mts");
    writeFileSync(sourceFile, lines.map((line) => line.text).join("\n") + "\n");
    const program = ts.createProgram([sourceFile], {
      strict: true,
      noEmit: true,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      skipLibCheck: true,
      types: [],
    });
    for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
      const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n").split("\n")[0];
      if (!diagnostic.file || diagnostic.start === undefined) {
        failures.push(`TypeScript: ${message}`);
        continue;
      }
      const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
      const origin = lines[line];
      const where = origin?.path || "/";
      const shortMessage = message.length > 300 ? `${message.slice(0, 300)}...` : message;
      failures.push(`${origin?.object ? describe(origin.object) : "generated file"}: ${where}: ${shortMessage}`);
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** Fails every PrometheusRule whose groups differ from the rules file. */
function compareRules(objects, rulesFile, failures) {
  const expected = parseYaml(readFileSync(rulesFile, "utf8"), { uniqueKeys: true })?.groups;
  const rules = objects.filter((object) => object.value.kind === "PrometheusRule");
  if (rules.length === 0) {
    failures.push(`--rules ${rulesFile} was given, but the manifests contain no PrometheusRule`);
  }
  for (const object of rules) {
    if (!isDeepStrictEqual(object.value.spec?.groups, expected)) {
      failures.push(`${describe(object)}: spec.groups differs from the groups in ${rulesFile}`);
    }
  }
}

async function main(argv) {
  let rulesFile;
  const files = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--rules" && i + 1 < argv.length) {
      rulesFile = argv[++i];
    } else if (argv[i].startsWith("-")) {
      files.length = 0;
      break;
    } else {
      files.push(argv[i]);
    }
  }
  if (files.length === 0) {
    console.error("usage: node validate-k8s.mjs [--rules RULES_FILE] RENDERED.yaml...");
    return 2;
  }

  const failures = [];
  const objects = readObjects(files, failures);
  if (objects.length === 0) {
    failures.push(`no Kubernetes objects in ${files.join(", ")}`);
  }
  await validateSchemas(objects, failures);
  checkUnknownFields(objects, failures);
  if (rulesFile) {
    compareRules(objects, rulesFile, failures);
  }

  if (failures.length > 0) {
    for (const failure of failures) {
      console.error(`INVALID ${failure}`);
    }
    console.error(`${failures.length} problem(s) in ${objects.length} object(s) of ${files.join(", ")}`);
    return 1;
  }
  const kinds = objects.map((object) => object.value.kind).join(", ");
  console.log(`valid: ${objects.length} objects in ${files.join(", ")} (${kinds})`);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
