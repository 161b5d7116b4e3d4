// remark's settings, read by the VS Code extension "remark" (unifiedjs.vscode-remark) and by remark's language
// server in other editors: the front matter of each challenge is checked against schemas/challenge.schema.json as
// you type, as the YAML extension checks program.yml and glossary.yml. Nothing else in Markdown files is linted.
// The packages come from package.json (`make editor`); docs/editing-challenges.md says how to set an editor up.
import { readFileSync } from "node:fs";
import remarkFrontmatter from "remark-frontmatter";
import remarkLintFrontmatterSchema from "remark-lint-frontmatter-schema";
import { isMap, isScalar, LineCounter, parseDocument } from "yaml";

const SCHEMA = "./schemas/challenge.schema.json";

// The schema plugin's messages name neither the field nor, with this version of remark, the line: a misspelt field
// is "Must NOT have additional properties" on the opening `---`. Say which field, where it is and how to fix it, as
// `datacity validate` does.
function explainSchemaMessages() {
  const schema = JSON.parse(readFileSync(new URL(SCHEMA, import.meta.url), "utf8"));
  return (tree, file) => {
    const front = tree.children.find((node) => node.type === "yaml");
    if (!front) return;
    const lines = new LineCounter();
    const doc = parseDocument(front.value, { lineCounter: lines });
    const fence = front.position.start.line; // the front matter starts on the line after it
    const place = (node) => {
      if (!node?.range) return undefined;
      const [start, end] = node.range.slice(0, 2).map((offset) => lines.linePos(offset));
      return {
        start: { line: fence + start.line, column: start.col },
        end: { line: fence + end.line, column: end.col },
      };
    };
    const keyOf = (keys) => {
      const parent = keys.length > 1 ? doc.getIn(keys.slice(0, -1), true) : doc.contents;
      return isMap(parent)
        ? parent.items.find((item) => isScalar(item.key) && item.key.value === keys.at(-1))?.key
        : null;
    };
    const opening = { start: { line: fence, column: 1 }, end: { line: fence, column: 4 } };
    for (const message of file.messages) {
      const error = message.schema;
      if (message.ruleId !== "frontmatter-schema" || !error) continue;
      const keys = error.instancePath.split("/").slice(1);
      const node = keys.length ? doc.getIn(keys, true) : doc.contents;
      const field = keys.map((key, i) => (/^\d+$/.test(key) ? `[${key}]` : `${i ? "." : ""}${key}`)).join("");
      const prefix = field ? `${field}.` : "";
      message.note = undefined;
      message.place = message.position ?? place(node) ?? opening;
      if (error.keyword === "additionalProperties") {
        const name = String(error.params.additionalProperty);
        const allowed = Object.keys(
          at(schema, error.schemaPath.replace(/\/additionalProperties$/, "")).properties ?? {},
        );
        const guess = closest(name, allowed);
        message.reason =
          `${prefix}${name}: unknown field '${name}'${guess ? ` (did you mean "${guess}"?)` : ""}; ` +
          `fix its spelling or remove it; allowed fields: ${allowed.join(", ")}`;
        message.place = place(keyOf([...keys, name])) ?? message.place;
      } else if (error.keyword === "required") {
        const name = String(error.params.missingProperty);
        message.reason = `${prefix}${name}: missing field '${name}'; add it${field ? ` under '${field}'` : ""}`;
        message.place = keys.length ? (place(keyOf(keys)) ?? message.place) : opening;
      } else if (error.keyword === "enum") {
        const actual = isScalar(node) ? ` '${node.value}'` : "";
        message.reason = `${field}:${actual} is not one of the allowed values; use one of: ${error.params.allowedValues.join(", ")}`;
      } else {
        message.reason = `${field || "front matter"}: ${error.message}`;
      }
    }
  };
}

function at(schema, pointer) {
  return (
    pointer
      .replace(/^#\/?/, "")
      .split("/")
      .filter(Boolean)
      .reduce((node, key) => node?.[key], schema) ?? {}
  );
}

function closest(word, candidates) {
  let best = null;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const d = distance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

function distance(a, b) {
  let row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    const next = [i];
    for (let j = 1; j <= b.length; j += 1) {
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length];
}

export default {
  plugins: [
    remarkFrontmatter,
    [remarkLintFrontmatterSchema, { schemas: { [SCHEMA]: ["./challenges/*/*.md"] } }],
    explainSchemaMessages,
  ],
};
