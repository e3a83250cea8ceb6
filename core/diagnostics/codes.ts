/**
 * Every diagnostic Quanta can report, with a stable code users can search for.
 * Codes are never reused or renumbered: docs, CI logs and tests refer to them.
 */
export type Severity = 'error' | 'warning';

interface CodeInfo {
  readonly severity: Severity;
  readonly title: string;
  readonly hint: string;
}

export const DIAGNOSTIC_CODES = {
  // Reading files
  QUANTA_E001: {
    severity: 'error',
    title: 'YAML syntax error',
    hint: 'Fix the YAML syntax at this position (indentation, a missing colon or an unclosed quote are the usual causes).',
  },
  QUANTA_E002: {
    severity: 'error',
    title: 'empty file',
    hint: 'Write the document, or delete the file if it is not needed.',
  },
  QUANTA_E003: {
    severity: 'error',
    title: 'not a text file',
    hint: 'Mesh files must be UTF-8 text. Restore the file from version control or recreate it.',
  },
  QUANTA_E004: {
    severity: 'error',
    title: 'document is not a mapping',
    hint: 'The top level of this file must be a mapping of `key: value` lines.',
  },
  QUANTA_E005: {
    severity: 'error',
    title: 'not a mesh folder',
    hint: 'A mesh folder has a mesh.yaml at its top. Point Quanta at that folder, or create mesh.yaml (see README, "Mesh folder format").',
  },
  QUANTA_E006: {
    severity: 'error',
    title: 'file too large',
    hint: 'Metadata files are limited in size; move bulk data into a seed file under data/.',
  },
  QUANTA_E007: {
    severity: 'error',
    title: 'duplicate key',
    hint: 'A key may appear only once in a mapping; remove or rename one of them.',
  },
  QUANTA_E008: {
    severity: 'error',
    title: 'file cannot be read',
    hint: 'Check that the file exists and is readable.',
  },

  // Structure (JSON Schema of ODPS, ODCS and Quanta's own files)
  QUANTA_E010: {
    severity: 'error',
    title: 'missing required field',
    hint: 'Add the field; the standard requires it.',
  },
  QUANTA_E011: {
    severity: 'error',
    title: 'wrong type',
    hint: 'Change the value to the expected type (quote numbers that are meant as text, e.g. version: "1.0.0").',
  },
  QUANTA_E012: {
    severity: 'error',
    title: 'value not allowed',
    hint: 'Use one of the allowed values.',
  },
  QUANTA_E013: {
    severity: 'error',
    title: 'invalid value',
    hint: 'Change the value so that it matches the expected format.',
  },
  QUANTA_W014: {
    severity: 'warning',
    title: 'unknown field',
    hint: 'Quanta keeps the field, but other tools reading the standard may reject it. Put extra data under customProperties.',
  },

  // Identity and references
  QUANTA_E020: {
    severity: 'error',
    title: 'duplicate id',
    hint: 'Ids must be unique in the mesh; rename one of them.',
  },
  QUANTA_E021: {
    severity: 'error',
    title: 'unknown contract',
    hint: 'An input port must name the contract id of another product’s output port. Run `quanta lineage` to list the contracts.',
  },
  QUANTA_E022: {
    severity: 'error',
    title: 'contract version not found',
    hint: 'Use a version the upstream contract declares.',
  },
  QUANTA_E023: {
    severity: 'error',
    title: 'unknown domain',
    hint: 'Use the id of a domain under domains/, or create that domain.',
  },
  QUANTA_E024: {
    severity: 'error',
    title: 'unknown team',
    hint: 'Use the id of a team declared in mesh.yaml under teams:, or declare the team.',
  },
  QUANTA_E025: {
    severity: 'error',
    title: 'unknown persona',
    hint: 'Use the id of a persona declared in mesh.yaml under personas:, or declare the persona.',
  },
  QUANTA_E026: {
    severity: 'error',
    title: 'id does not match folder',
    hint: 'A file’s id must match the folder it sits in; rename the folder or fix the id.',
  },
  QUANTA_E027: {
    severity: 'error',
    title: 'output port without contract',
    hint: 'Each output port <name> needs a contract file <name>.odcs.yaml beside product.odps.yaml.',
  },
  QUANTA_E028: {
    severity: 'error',
    title: 'output port and contract disagree',
    hint: 'The output port’s contractId and version must equal the id and version of its contract file.',
  },
  QUANTA_E029: {
    severity: 'error',
    title: 'missing product file',
    hint: 'Create the file; see README, "Mesh folder format".',
  },
  QUANTA_E030: {
    severity: 'error',
    title: 'lineage cycle',
    hint: 'Data cannot flow in a circle: remove one of the input ports in the cycle.',
  },
  QUANTA_E031: {
    severity: 'error',
    title: 'path escapes the mesh folder',
    hint: 'Seed files must live inside the mesh folder; copy the file under the product’s data/ folder.',
  },
  QUANTA_E032: {
    severity: 'error',
    title: 'seed file missing',
    hint: 'Put the file at that path (relative to the product folder) or fix the path.',
  },
  QUANTA_E033: {
    severity: 'error',
    title: 'duplicate port name',
    hint: 'Port names must be unique within a product: they name tables in transform.sql and contract files.',
  },
  QUANTA_E034: {
    severity: 'error',
    title: 'unknown generator reference',
    hint: 'A foreign key must name an earlier source and column of the same product.',
  },
  QUANTA_E035: {
    severity: 'error',
    title: 'ambiguous contract',
    hint: 'Two output ports publish the same contract id and version; give one of them its own id or version.',
  },
  QUANTA_W036: {
    severity: 'warning',
    title: 'contract without output port',
    hint: 'No output port of this product names this file; add the port or delete the file.',
  },
  QUANTA_W037: {
    severity: 'warning',
    title: 'folder is not a product',
    hint: 'A product folder holds product.odps.yaml; add one, or move the folder out of domains/.',
  },
  QUANTA_W038: {
    severity: 'warning',
    title: 'product has no inputs',
    hint: 'Aggregate and consumer-aligned products consume other products: add an input port.',
  },
  QUANTA_W039: {
    severity: 'warning',
    title: 'file is not part of the mesh format',
    hint: 'Quanta ignores this file; rename it if it was meant to be loaded (e.g. *.policy.yaml).',
  },
  QUANTA_E040: {
    severity: 'error',
    title: 'unknown product',
    hint: 'Use the id of a data product in this mesh (`quanta lineage` lists them).',
  },

  // Policies (core/governance)
  QUANTA_E041: {
    severity: 'error',
    title: 'unknown built-in policy',
    hint: 'Use the id of a built-in policy; docs/catalog.md lists them.',
  },
  QUANTA_E042: {
    severity: 'error',
    title: 'a domain policy weakens a global blocking policy',
    hint: 'Global blocking policies apply in every domain. Add a separate domain policy instead, or ask the federation to change the global one.',
  },
  QUANTA_E043: {
    severity: 'error',
    title: 'a policy overrides a policy it cannot override',
    hint: 'Only a domain policy (scope: domain:<id>) may override, and only a global policy this mesh uses.',
  },
  QUANTA_E044: {
    severity: 'error',
    title: 'policy without a single check',
    hint: 'Give a policy exactly one of: check.sql, check.expression, uses: <built-in id>.',
  },
  QUANTA_E045: {
    severity: 'error',
    title: 'policy query failed',
    hint: 'Fix the SQL; it runs over the catalog tables (docs/catalog.md) and returns product_id, port, column_name, message.',
  },

  // Hostile or broken input (a mesh from a stranger): never a crash, never a silent skip
  QUANTA_E050: {
    severity: 'error',
    title: 'recursive YAML alias',
    hint: 'An alias (*name) may not point at the mapping or list that contains it. Replace the alias with the values it should hold.',
  },
  QUANTA_E051: {
    severity: 'error',
    title: 'nested too deeply',
    hint: 'Mesh files nest a few levels; flatten the structure (at most 64 levels).',
  },
  QUANTA_E052: {
    severity: 'error',
    title: 'not a regular file',
    hint: 'Mesh files and seed files must be regular files, not a pipe (FIFO), device or socket. Replace it with a copy of the data.',
  },
  QUANTA_E053: {
    severity: 'error',
    title: 'broken symlink',
    hint: 'The symlink leads nowhere (its target is missing, or links point at each other in a loop). Point it at a file inside the mesh folder, or replace it with the file.',
  },
  QUANTA_E054: {
    severity: 'error',
    title: 'seed file too large',
    hint: 'Seed files may be at most 512 MB by default. Use a smaller sample, or raise the limit with the environment variable QUANTA_MAX_SEED_MB (e.g. QUANTA_MAX_SEED_MB=2048).',
  },
  QUANTA_E055: {
    severity: 'error',
    title: 'reading the file took too long',
    hint: 'The file did not finish reading within the time limit (30 s by default; QUANTA_READ_TIMEOUT_S raises it). Is it on a slow or hung network drive?',
  },
  QUANTA_E056: {
    severity: 'error',
    title: 'invalid id',
    hint: 'Ids name folders, files and tables: use lowercase letters, digits, "-", "_" and ".", starting with a letter or digit, at most 64 characters (README, "Ids").',
  },
  QUANTA_E057: {
    severity: 'error',
    title: 'control characters in a name',
    hint: 'Names and titles are shown to people: remove terminal control characters and bidirectional overrides (U+202A–U+202E, U+2066–U+2069), which can disguise what is displayed.',
  },
  QUANTA_E058: {
    severity: 'error',
    title: 'duration out of range',
    hint: 'Durations may be at most 24 days (24d, the longest timer a JavaScript runtime keeps); use a shorter value.',
  },
  QUANTA_E059: {
    severity: 'error',
    title: 'generator reference cycle',
    hint: 'Generated sources that reference each other in a loop cannot be generated: one of them must not depend on the others. Remove one reference in the cycle.',
  },

  // The SQL sandbox (workers/duckdb/sharedModule.ts): what a mesh's SQL may not do
  QUANTA_W060: {
    severity: 'warning',
    title: 'contract rule not enforced',
    hint: 'Quanta cannot run this rule as written (see the message), so no publish checks it; fix it, or write it as a type: sql rule.',
  },
  QUANTA_E070: {
    severity: 'error',
    title: 'SQL tried to reach outside its quantum',
    hint: "A transform, policy, contract rule or query reads only its input tables: no host files (read_csv, read_text, glob, COPY, ATTACH, EXPORT), no network, no INSTALL/LOAD, no SET of sandbox settings. Put data into the mesh as a seed file under the product's data/ folder and declare it in quanta.yaml.",
  },
  QUANTA_E071: {
    severity: 'error',
    title: 'not exactly one SELECT',
    hint: 'A policy check, a contract `type: sql` rule and a console query are one SELECT statement each (WITH … SELECT and FROM … are fine), with no other statement before or after it.',
  },
  QUANTA_E073: {
    severity: 'error',
    title: 'quantum out of memory',
    hint: "The product's run needed more memory than its quantum may use. Raise simulation.memoryLimit in its quanta.yaml (within the host's budget), or make the transform read fewer rows or columns. The quantum is replaced.",
  },

  // Workshop scenarios (docs/scenarios.md)
  QUANTA_E080: {
    severity: 'error',
    title: 'scenario names an unknown policy',
    hint: 'Use the id of a policy file in policies/, or of a built-in listed under policies: in mesh.yaml (or one the scenario itself writes).',
  },
  QUANTA_E081: {
    severity: 'error',
    title: 'scenario names an unknown port or table',
    hint: "Goals name one of the product's output ports; faults name a source (quanta.yaml) or an input port the product reads. `quanta lineage` lists the ports.",
  },
  QUANTA_E082: {
    severity: 'error',
    title: 'unknown goal kind',
    hint: 'A goal is one of: status, violations, valid, nonBreaking, query, governanceScore, scorecard, fresh (docs/scenarios.md, "Goals").',
  },
  QUANTA_E083: {
    severity: 'error',
    title: 'unknown fault kind',
    hint: 'A fault is one of: dropColumn, renameColumn, nullSpike, delaySource, crash (docs/scenarios.md, "Events").',
  },
  QUANTA_E084: {
    severity: 'error',
    title: 'scenario event does not say what to do',
    hint: 'An event has exactly one of: run, tick, fault, clearFaults, edit, change, file (docs/scenarios.md, "Events"). Split an event that does two things into two.',
  },
  QUANTA_E085: {
    severity: 'error',
    title: 'query goal without a persona',
    hint: 'Give the goal a persona: of mesh.yaml, or give the scenario one (persona: at the top), which its query goals run as.',
  },
  QUANTA_W086: {
    severity: 'warning',
    title: 'scenario step in the old format',
    hint: 'Steps now have goals instead of `action: run | expect | inject | tick | query | reset`; the step is skipped. docs/scenarios.md shows the format (sample-meshes/daff/scenarios/schema-drift.scenario.yaml is an example).',
  },
  QUANTA_E087: {
    severity: 'error',
    title: 'scenario event writes a file Quanta does not read as text',
    hint: "A scenario's edit and file events change the mesh's own files: YAML (mesh.yaml, domain, product, contract, quanta.yaml, policy, scenario and layout files) and transform.sql. Seed data (a product's data/ folder) is read from the folder as it is: change what a product reads with a fault, or with its quanta.yaml.",
  },
  // Discovery: feedback and usage files (docs/discovery.md)
  QUANTA_W090: {
    severity: 'warning',
    title: 'feedback or usage names an unknown product',
    hint: 'The file is ignored: no product of this mesh has that id (a typo, or the product was deleted or renamed). Rename the file and its product: to the right id (`quanta lineage` lists them), or delete the file.',
  },
  QUANTA_E091: {
    severity: 'error',
    title: 'feedback or usage names an unknown team or persona',
    hint: 'Use the id of a team or a persona declared in mesh.yaml (teams: and personas:).',
  },
  QUANTA_E092: {
    severity: 'error',
    title: 'not an output port of the product',
    hint: 'Feedback and usage are about what a product publishes: name one of its output ports (outputPorts in its product.odps.yaml), or leave port out to rate the whole product.',
  },
  QUANTA_E093: {
    severity: 'error',
    title: 'rating out of range',
    hint: 'A rating is a whole number from 1 (poor) to 5 (excellent). The entry is left out of the ranking until it is fixed.',
  },
  QUANTA_E094: {
    severity: 'error',
    title: 'not a date',
    hint: 'Write a day as YYYY-MM-DD, e.g. 2026-11-20 (a real calendar day; a period runs from its first day to its last).',
  },
  QUANTA_E095: {
    severity: 'error',
    title: 'count out of range',
    hint: 'Reads and queries are whole numbers ≥ 0 and ticks a whole number ≥ 1, each at most 9007199254740991. The port (or file) is left out of the ranking until it is fixed.',
  },
  QUANTA_E096: {
    severity: 'error',
    title: 'feedback entry without a single author',
    hint: 'Give each entry exactly one of team: <team id> or persona: <persona id>. The entry is left out of the ranking until it is fixed.',
  },
  QUANTA_E097: {
    severity: 'error',
    title: 'feedback or usage file not named after its product',
    hint: 'Name the file <product>.feedback.yaml or <product>.usage.yaml after the product it names, one file per product, so each product has one place for its feedback and its counts.',
  },
  QUANTA_E098: {
    severity: 'error',
    title: 'port counted twice',
    hint: 'List each output port once in a usage file and add the counts up; only the first is used.',
  },
} as const satisfies Record<string, CodeInfo>;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;
