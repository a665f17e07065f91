// Lints .github/workflows/publish.yml without downloading anything:
// parses it with a small YAML reader (the block-style subset workflows use)
// and checks what publishing needs. When PyYAML is importable, the parse is
// also compared with PyYAML's, so the small reader cannot silently drift.
//
//   node tests/e2e/lint-workflow.mjs [.github/workflows/publish.yml]
//
// Prints the problems and exits 1, or prints "ok" and exits 0.
import { readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { isDeepStrictEqual } from "node:util";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const WORKFLOW = resolve(REPO, ".github/workflows/publish.yml");

/** A YAML subset: block maps and sequences, flow sequences/maps of scalars, block scalars, quoted and plain scalars. */
export function parseYaml(text) {
  const lines = text.split(/\r?\n/);
  let i = 0;
  const fail = (msg, line = i + 1) => { throw new Error(`line ${line}: ${msg}`); };
  const blank = (l) => /^\s*(#.*)?$/.test(l);

  function peek() {
    while (i < lines.length && blank(lines[i])) i++;
    if (i >= lines.length) return null;
    const raw = lines[i];
    if (/^\s*\t/.test(raw)) fail("tab in indentation");
    const indent = raw.match(/^ */)[0].length;
    return { indent, text: stripComment(raw.slice(indent)) };
  }
  function block(indent) {
    const t = peek();
    if (!t || t.indent < indent) return null;
    return isItem(t.text) ? seq(t.indent) : map(t.indent);
  }
  const isItem = (s) => s === "-" || s.startsWith("- ");
  function keyOf(s) {
    const q = s.match(/^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*')\s*:(?:\s+|$)(.*)$/);
    if (q) return [scalar(q[1]), q[2]];
    const m = s.match(/^([^\s"'#\[{&*!|>%@`-][^:]*?|-[^\s:][^:]*?)\s*:(?:\s+|$)(.*)$/);
    return m ? [m[1], m[2]] : null;
  }
  function map(indent) {
    const out = {};
    for (;;) {
      const t = peek();
      if (!t || t.indent < indent) return out;
      if (t.indent > indent) fail(`unexpected indentation (${t.indent} inside a map at ${indent})`);
      if (isItem(t.text)) return out;
      const kv = keyOf(t.text);
      if (!kv) fail(`expected "key: value", got "${t.text}"`);
      const line = i + 1;
      i++;
      if (Object.hasOwn(out, kv[0])) fail(`duplicate key "${kv[0]}"`, line);
      out[kv[0]] = value(kv[1], indent);
    }
  }
  function seq(indent) {
    const out = [];
    for (;;) {
      const t = peek();
      if (!t || t.indent !== indent || !isItem(t.text)) return out;
      const content = t.text === "-" ? "" : t.text.slice(1).trimStart();
      const inner = indent + (t.text.length - content.length);
      if (content === "") { i++; out.push(block(indent + 1)); continue; }
      if (keyOf(content) || isItem(content)) {
        // "- key: v": a map whose first key sits where "key" is.
        lines[i] = " ".repeat(inner) + content;
        out.push(block(inner));
      } else {
        i++;
        out.push(value(content, indent));
      }
    }
  }
  function value(rest, indent) {
    if (rest === "") {
      const t = peek();
      if (!t) return null;
      if (t.indent > indent) return block(t.indent);
      if (t.indent === indent && isItem(t.text)) return seq(indent);
      return null;
    }
    const bs = rest.match(/^([|>])([-+]?)$/);
    if (bs) return blockScalar(bs[1], bs[2], indent);
    return scalar(rest);
  }
  function blockScalar(style, chomp, parent) {
    const body = [];
    let width = null;
    while (i < lines.length) {
      const raw = lines[i];
      if (raw.trim() === "") { body.push(""); i++; continue; }
      const ind = raw.match(/^ */)[0].length;
      if (ind <= parent) break;
      if (width === null) width = ind;
      if (ind < width) break;
      body.push(raw.slice(width));
      i++;
    }
    let trailing = 0;
    while (body.length && body[body.length - 1] === "") { body.pop(); trailing++; }
    let text = style === "|" ? body.join("\n") : body.join("\n").replace(/([^\n])\n(?=[^\n ])/g, "$1 ");
    if (chomp === "+") text += "\n".repeat(trailing + 1);
    else if (chomp !== "-" && body.length) text += "\n";
    return text;
  }
  function stripComment(s) {
    let quote = null;
    for (let k = 0; k < s.length; k++) {
      const c = s[k];
      if (quote) { if (c === quote) quote = null; continue; }
      if ((c === '"' || c === "'") && (k === 0 || /[\s:\[{,]/.test(s[k - 1]))) quote = c;
      else if (c === "#" && (k === 0 || /\s/.test(s[k - 1]))) return s.slice(0, k).trimEnd();
    }
    return s.trimEnd();
  }
  function splitFlow(s) {
    const parts = [];
    let depth = 0, quote = null, start = 0;
    for (let k = 0; k < s.length; k++) {
      const c = s[k];
      if (quote) { if (c === quote) quote = null; continue; }
      if (c === '"' || c === "'") quote = c;
      else if (c === "[" || c === "{") depth++;
      else if (c === "]" || c === "}") depth--;
      else if (c === "," && depth === 0) { parts.push(s.slice(start, k)); start = k + 1; }
    }
    parts.push(s.slice(start));
    return parts.map((p) => p.trim()).filter((p) => p !== "");
  }
  function scalar(s) {
    s = s.trim();
    if (s.startsWith("[")) {
      if (!s.endsWith("]")) fail(`unclosed flow sequence "${s}"`);
      return splitFlow(s.slice(1, -1)).map(scalar);
    }
    if (s.startsWith("{")) {
      if (!s.endsWith("}")) fail(`unclosed flow map "${s}"`);
      return Object.fromEntries(splitFlow(s.slice(1, -1)).map((p) => {
        const kv = keyOf(p);
        if (!kv) fail(`bad flow map entry "${p}"`);
        return [kv[0], scalar(kv[1])];
      }));
    }
    if (s.startsWith('"')) {
      if (!/^"(?:[^"\\]|\\.)*"$/.test(s)) fail(`bad double-quoted string ${s}`);
      return JSON.parse(s);
    }
    if (s.startsWith("'")) {
      if (!/^'(?:[^']|'')*'$/.test(s)) fail(`bad single-quoted string ${s}`);
      return s.slice(1, -1).replace(/''/g, "'");
    }
    if (/^(null|Null|NULL|~|)$/.test(s)) return null;
    if (/^(true|True|TRUE)$/.test(s)) return true;
    if (/^(false|False|FALSE)$/.test(s)) return false;
    if (/^[-+]?\d+$/.test(s)) return Number(s);
    if (/^[-+]?(\d+\.\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) return Number(s);
    if (/^[&*!%@`]/.test(s)) fail(`unsupported YAML "${s}" (anchors, tags)`);
    return s;
  }

  const doc = block(0);
  if (peek()) fail("unparsed content");
  return doc;
}

/** PyYAML's reading, when PyYAML is installed; null otherwise. */
export function pyyaml(file) {
  try {
    const out = execFileSync(process.env.PYTHON ?? "python3", ["-c",
      "import json, sys, yaml\n" +
      "d = yaml.safe_load(open(sys.argv[1], encoding='utf-8'))\n" +
      "if isinstance(d, dict) and True in d: d['on'] = d.pop(True)  # YAML 1.1 reads `on` as true\n" +
      "print(json.dumps(d))", file], { stdio: ["ignore", "pipe", "pipe"] });
    return JSON.parse(out);
  } catch (e) {
    if (/No module named .?yaml/.test(String(e.stderr))) return null;
    throw new Error(`PyYAML: ${String(e.stderr || e.message).trim().split("\n").pop()}`);
  }
}

export function lintWorkflow(file = WORKFLOW) {
  const problems = [];
  const text = readFileSync(file, "utf8");
  let wf;
  try { wf = parseYaml(text); } catch (e) { return { problems: [`YAML: ${e.message}`], notes: [] }; }
  const notes = [];
  const check = (ok, msg) => { if (!ok) problems.push(msg); };
  try {
    const py = pyyaml(file);
    if (py === null) notes.push("PyYAML not installed: checked with the small YAML reader only");
    else if (!isDeepStrictEqual(py, wf)) problems.push("the small YAML reader and PyYAML disagree on this file");
    else notes.push("PyYAML reads the file the same way");
  } catch (e) { problems.push(e.message); }

  check(wf && typeof wf === "object" && !Array.isArray(wf), "the workflow is a map");
  if (problems.length && !wf) return { problems, notes };
  check(typeof wf.name === "string", "`name` is set");
  const branches = wf.on?.push?.branches;
  check(Array.isArray(branches) && branches.includes("main"), "on.push.branches contains main");
  check(wf.permissions?.pages === "write", "permissions: pages: write");
  check(wf.permissions?.["id-token"] === "write", "permissions: id-token: write");
  const jobs = wf.jobs ?? {};
  check(Object.keys(jobs).length > 0, "jobs exist");
  const steps = [];
  for (const [name, job] of Object.entries(jobs)) {
    check(job && typeof job === "object", `job ${name} is a map`);
    if (!job || typeof job !== "object") continue;
    check(typeof job["runs-on"] === "string", `job ${name} has runs-on`);
    check(Array.isArray(job.steps) && job.steps.length > 0, `job ${name} has steps`);
    for (const need of [job.needs ?? []].flat()) check(Object.hasOwn(jobs, need), `job ${name} needs an existing job (${need})`);
    for (const [k, step] of (job.steps ?? []).entries()) {
      const where = `job ${name}, step ${k + 1}${step?.name ? ` (${step.name})` : ""}`;
      check(step && (typeof step.uses === "string") !== (typeof step.run === "string"), `${where}: exactly one of uses/run`);
      if (typeof step?.uses === "string") check(/^[\w.-]+\/[\w./-]+@[\w.-]+$/.test(step.uses), `${where}: uses is pinned (owner/repo@ref): ${step.uses}`);
      steps.push({ job: name, ...step });
    }
  }
  const runs = steps.map((s) => s.run ?? "").join("\n");
  const uses = (action) => steps.find((s) => s.uses?.startsWith(action + "@"));
  check(/\bcargo test\b/.test(runs), "a step runs `cargo test`");
  check(/--base-url\b/.test(runs) && /vars\.BASE_URL/.test(text), "the build uses --base-url from vars.BASE_URL");
  check(/tests\/e2e\/run\.sh/.test(runs), "a step runs the browser suite (tests/e2e/run.sh)");
  check(!/\bnpx\b/.test(runs), "no npx (it would download packages that are not in package-lock.json)");
  const upload = uses("actions/upload-pages-artifact");
  check(upload && /^public\/?$/.test(upload.with?.path ?? ""), "actions/upload-pages-artifact uploads public/");
  const deploy = uses("actions/deploy-pages");
  check(deploy, "a step uses actions/deploy-pages");
  if (deploy && upload) {
    const job = jobs[deploy.job];
    check(deploy.job === upload.job || [job.needs ?? []].flat().includes(upload.job), "the deploy job needs the build job");
    check((job.environment?.name ?? job.environment) === "github-pages", "the deploy job's environment is github-pages");
  }
  const opened = (text.match(/\$\{\{/g) ?? []).length, closed = (text.match(/\}\}/g) ?? []).length;
  check(opened === closed, "every ${{ expression }} is closed");
  return { problems, notes };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const file = resolve(process.argv[2] ?? WORKFLOW);
  const { problems, notes } = lintWorkflow(file);
  for (const n of notes) console.log(`note: ${n}`);
  for (const p of problems) console.log(`error: ${p}`);
  console.log(problems.length ? `${file}: ${problems.length} problem(s)` : `${file}: ok`);
  process.exit(problems.length ? 1 : 0);
}
