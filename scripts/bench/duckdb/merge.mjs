// merge.mjs: the DuckDB contender of scripts/bench/bench-compare.sh, run
// with Node through @duckdb/node-api (its binary ships in the package).
//
//   node merge.mjs [--plain] [--threads N] [--memory-limit 4GB] -r ROSTER [-r ROSTER]...
//                  [--day YYYY-MM-DD | --since T --until T] RESULTS... -o OUT.csv [-v]
//
// Inputs are plain UTF-8 CSVs with a header on the first line (what
// `scripts/gen-city --plain` and scripts/bench/gen-plain-city.py write). The
// header names differ from file to file (alias sets, shuffled order): each
// file's header line is read here and its columns looked up by name, as
// scripts/bench/merge_pandas.py does; every cell is read as text
// (read_csv(..., all_varchar=true, header=true)).
//
// --plain: the floor a user would try first. The roster LEFT JOIN the
//   results on the raw id, the latest sample per id (the largest raw time
//   text), sorted by building, unit, room as text; no normalisation, no
//   window, no rescue. Output columns: building unit room name id phone
//   result sampled_at.
//
// Default: rollcall's merge in SQL, as far as SQL goes:
//   - ids: full-width digits translated, spaces (Unicode \p{Z} too), dashes,
//     zero-width characters, a leading ' and a trailing .0 dropped, upper
//     case; scientific notation unusable (flag id-mangled:RAW); 15 digits
//     upgraded to 18 with the GB 11643 check digit computed in SQL (id-15);
//     roster check digits verified (id-checksum); a masked id (with *)
//     identifies nobody;
//   - names: trimmed, zero-width dropped, middle-dot look-alikes made ·, all
//     spaces dropped from a name with a Han character, else spaces collapsed
//     and lower-cased. NOT done: NFKC (DuckDB's SQL has NFC only), so a
//     full-width Latin name or a compatibility character stays as written;
//   - phones: digits only, a leading 86/0086 dropped from 13+ digits;
//   - result words: rollcall's vocabulary by regexp_full_match / CASE, on
//     the distinct words;
//   - times: try_strptime over the common formats, Excel serial numbers;
//   - the window (--day / --since / --until) on sampled_at, else reported_at;
//   - match by id, then rescue by name + phone with exactly one candidate
//     (rollcall's id-typo and masked-id rescues are not done: they come out
//     unmatched, as in merge_pandas.py);
//   - positive is sticky, else the latest sample (by time, then input order);
//     no sample: exempt when the roster status says so, else missing;
//   - roster rows with neither id nor name, or an id seen before, dropped;
//   - output as rollcall's CSV (building unit room name id phone state
//     result sampled_at match flags source + the rosters' extras), sorted by
//     building, unit, room in natural order (text before the first digits,
//     then the first number, then the text), written with COPY.
// -v prints the accounting on standard error.

import { readSync, openSync, closeSync } from 'node:fs';
import { basename, join } from 'node:path';
import { tmpdir } from 'node:os';
import { DuckDBInstance } from '@duckdb/node-api';

// ---------------------------------------------------------------- command line

function usage(msg) {
  process.stderr.write(`merge.mjs: ${msg}\nusage: node merge.mjs [--plain] [--threads N] [--memory-limit SIZE] -r ROSTER... ` +
    `[--day D | --since T --until T] RESULTS... -o OUT.csv [-v]\n`);
  process.exit(1);
}

const opt = { plain: false, threads: 2, rosters: [], results: [], day: null, since: null, until: null,
  out: null, verbose: false, memory: null };
{
  const a = process.argv.slice(2);
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    const next = () => { if (i + 1 >= a.length) usage(`${v} needs a value`); return a[++i]; };
    if (v === '--plain') opt.plain = true;
    else if (v === '--threads') opt.threads = parseInt(next(), 10);
    else if (v === '--memory-limit') opt.memory = next();
    else if (v === '-r' || v === '--roster') opt.rosters.push(next());
    else if (v === '--day') opt.day = next();
    else if (v === '--since') opt.since = next();
    else if (v === '--until') opt.until = next();
    else if (v === '-o' || v === '--output') opt.out = next();
    else if (v === '-v' || v === '--verbose') opt.verbose = true;
    else if (v.startsWith('-') && v !== '-') usage(`unknown option ${v}`);
    else opt.results.push(v);
  }
  if (!opt.rosters.length || !opt.results.length || !opt.out) usage('needs -r ROSTER, RESULTS and -o OUT');
  if (!(opt.threads >= 1)) usage('--threads needs a number >= 1');
}

// ---------------------------------------------------------------- headers

// Header aliases per role (merge_pandas.py's, from DESIGN.md section 1),
// compared after NFKC, trimming and lower-casing.
const ID = '证件号码 身份证号 身份证号码 身份证 证件号 公民身份号码 id id_number id_no idnumber';
const ROSTER_ALIASES = {
  id: ID, name: '姓名 name', building: '楼号 楼栋 栋 幢 楼 building', unit: '单元 unit',
  room: '室号 房号 门牌号 户号 room', phone: '手机号 手机号码 联系电话 电话 phone mobile',
  status: '状态 在住状态 人员状态 备注 status',
};
const RESULTS_ALIASES = {
  id: ID, name: '姓名 name', phone: ROSTER_ALIASES.phone, result: '检测结果 结果 核酸结果 result',
  sampled_at: '采样时间 sampled_at sample_time', reported_at: '检测时间 报告时间 结果时间 reported_at',
};

function headerLine(path) {
  const fd = openSync(path, 'r');
  const buf = Buffer.alloc(1 << 16);
  const n = readSync(fd, buf, 0, buf.length, 0);
  closeSync(fd);
  let s = buf.subarray(0, n).toString('utf8');
  if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
  const fields = [];
  let cur = '', q = false, i = 0;
  for (; i < s.length; i++) {
    const c = s[i];
    if (q) {
      if (c === '"' && s[i + 1] === '"') { cur += '"'; i++; } else if (c === '"') q = false; else cur += c;
    } else if (c === '"') q = true;
    else if (c === ',') { fields.push(cur); cur = ''; }
    else if (c === '\n' || c === '\r') break;
    else cur += c;
  }
  fields.push(cur);
  return fields;
}

function findColumns(path, aliases) {
  const header = headerLine(path);
  const roles = {};
  const taken = new Set();
  for (const [role, names] of Object.entries(aliases)) {
    const keys = names.split(' ');
    for (const h of header) {
      if (!taken.has(h) && keys.includes(h.normalize('NFKC').trim().toLowerCase())) {
        roles[role] = h; taken.add(h); break;
      }
    }
  }
  return { roles, header };
}

const qi = (s) => '"' + s.replace(/"/g, '""') + '"';
const qs = (s) => "'" + s.replace(/'/g, "''") + "'";
const csv = (path) => `read_csv(${qs(path)}, all_varchar=true, header=true, delim=',', quote='"', escape='"')`;
const col = (roles, role) => (roles[role] ? `coalesce(${qi(roles[role])}, '')` : "''");

// ---------------------------------------------------------------- SQL pieces

const FW_FROM = '０１２３４５６７８９Ｘｘ';
const FW_TO = '0123456789Xx';
const ZW = '\\x{200b}\\x{200c}\\x{200d}\\x{2060}\\x{feff}';
const SP = '\\s\\p{Z}';
const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

// The GB 11643 check character of N, the first 17 digits of an id as a
// BIGINT (integer arithmetic: a substr per digit costs a string each).
function checkChar(n) {
  const sum = W.map((w, i) => `(${n} // ${10n ** BigInt(16 - i)}) % 10 * ${w}`).join(' + ');
  return `substr('10X98765432', CAST((${sum}) % 11 AS INTEGER) + 1, 1)`;
}
const upgrade15 = (d17) => `${d17} || ${checkChar(`CAST(${d17} AS BIGINT)`)}`;

// Stage 1 of an id: the cleaned text (most ids are 18 clean characters already).
function idClean(x) {
  return `CASE WHEN regexp_full_match(${x}, '[0-9]{17}[0-9X]') THEN ${x} ELSE upper(regexp_replace(regexp_replace(` +
    `regexp_replace(translate(${x}, '${FW_FROM}', '${FW_TO}'), '[${SP}\\-${ZW}]', '', 'g'), '^[''＇]', ''), '\\.0$', '')) END`;
}

function nameKey(x) {
  const w = `regexp_replace(regexp_replace(regexp_replace(regexp_replace(${x}, '[${ZW}]', '', 'g'), ` +
    `'^[${SP}]+|[${SP}]+$', '', 'g'), '[\\x{00b7}\\x{2022}\\x{2027}\\x{30fb}\\x{ff0e}\\x{ff65}]', '·', 'g'), ` +
    `'(\\p{Han})\\.(\\p{Han})', '\\1·\\2', 'g')`;
  return `CASE WHEN regexp_full_match(${x}, '\\p{Han}+') THEN ${x} ` +
    `WHEN regexp_matches(${x}, '\\p{Han}') THEN regexp_replace(${w}, '[${SP}]+', '', 'g') ` +
    `ELSE lower(regexp_replace(${w}, '[${SP}]+', ' ', 'g')) END`;
}

function phoneKey(x) {
  const d = `regexp_replace(translate(${x}, '${FW_FROM}', '${FW_TO}'), '[^0-9]', '', 'g')`;
  return `CASE WHEN regexp_full_match(${x}, '[0-9]{11}') OR ${x} = '' THEN ${x} ` +
    `WHEN length(${d}) >= 13 THEN regexp_replace(${d}, '^(0086|86)', '') ELSE ${d} END`;
}

function normText(x) {
  return `CASE WHEN regexp_matches(${x}, '[${SP}${ZW}０-９]') THEN regexp_replace(regexp_replace(regexp_replace(` +
    `translate(${x}, '${FW_FROM}', '${FW_TO}'), '[${ZW}]', '', 'g'), '[${SP}]+', ' ', 'g'), '^ | $', '', 'g') ELSE ${x} END`;
}

// DuckDB's cast to TIMESTAMP takes ISO with a space or a T, with or without
// seconds, slashes and single-digit fields (2022/4/10 7:05) and a bare date,
// and it is fast; strptime is slow when a format fails, so it is kept for
// the rows the cast leaves (Chinese and dotted dates), and Excel serial day
// numbers (1900 system: day 0 is 1899-12-30) are computed.
const TIME_FORMATS = [
  '%Y年%m月%d日 %H时%M分', '%Y年%m月%d日 %H时%M分%S秒', '%Y年%m月%d日%H时%M分', '%Y年%m月%d日 %H:%M',
  '%Y年%m月%d日%H:%M', '%Y年%m月%d日', '%Y.%m.%d %H:%M', '%Y.%m.%d %H:%M:%S',
];

function parseTime(x) {
  return `CASE WHEN ${x} = '' THEN NULL ELSE coalesce(TRY_CAST(${x} AS TIMESTAMP), CASE ` +
    `WHEN regexp_full_match(${x}, '[0-9]{1,6}(\\.[0-9]+)?') THEN TIMESTAMP '1899-12-30' + ` +
    `to_seconds(CAST(round(CAST(${x} AS DOUBLE) * 86400) AS BIGINT)) ` +
    `ELSE try_strptime(trim(${x}), [${TIME_FORMATS.map(qs).join(', ')}]) END) END`;
}

// Natural order: empty last, the text before the first digits, the first number, the text.
function natural(x) {
  return `(${x} = ''), regexp_extract(${x}, '^[^0-9]*'), TRY_CAST(regexp_extract(${x}, '[0-9]+') AS BIGINT) NULLS LAST, ${x}`;
}

const VOCABULARY = [
  ['review', '混管阳性|待复核|复核|可疑|疑似|弱阳性|review'],
  ['positive', '阳性|阳|positive|pos|\\+|\\(\\+\\)'],
  ['negative', '阴性|阴|negative|neg|-|\\(-\\)'],
  ['invalid', '无效|不合格|样本异常|invalid|rejected'],
  ['pending', '|待检测|检测中|未出结果|pending'],
];
const EXEMPT = '外出|不在住|离沪|出差|住院|away|exempt';

function stamp(s, endOfDay) {
  // a bare date for --until means the end of that day
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return endOfDay ? `(DATE ${qs(s)} + INTERVAL 1 DAY)::TIMESTAMP` : `TIMESTAMP ${qs(s)}`;
  return `TIMESTAMP ${qs(s.replace('T', ' '))}`;
}

// ---------------------------------------------------------------- main

// An in-memory database spills what does not fit its memory limit (80% of
// RAM unless --memory-limit) to temp_directory: kept out of the work tree.
const db = await DuckDBInstance.create(':memory:', {
  threads: String(opt.threads), temp_directory: join(tmpdir(), `merge-mjs-${process.pid}.tmp`),
  ...(opt.memory ? { memory_limit: opt.memory } : {}),
});
const con = await db.connect();
// MERGE_SQL=1 in the environment prints every statement on standard error.
const run = (sql) => { if (process.env.MERGE_SQL) process.stderr.write(sql + ';\n\n'); return con.run(sql); };
const rows = async (sql) => (await con.runAndReadAll(sql)).getRowObjectsJson();

const t0 = Date.now();
const lap = (what) => { if (opt.verbose) process.stderr.write(`merge.mjs: ${what} ${((Date.now() - t0) / 1000).toFixed(2)} s\n`); };

const roster = opt.rosters.map((p) => ({ path: p, ...findColumns(p, ROSTER_ALIASES) }));
const results = opt.results.map((p) => ({ path: p, ...findColumns(p, RESULTS_ALIASES) }));
for (const f of roster) if (!f.roles.name) usage(`${f.path}: no name column`);
for (const f of results) {
  if (!f.roles.result || (!f.roles.id && !f.roles.name)) usage(`${f.path}: no result column, or neither id nor name`);
}

if (opt.plain) {
  const r = roster.map((f) => `SELECT ${['building', 'unit', 'room', 'name', 'id', 'phone']
    .map((k) => `${col(f.roles, k)} AS ${k}`).join(', ')} FROM ${csv(f.path)}`).join(' UNION ALL ');
  const s = results.map((f) => `SELECT ${col(f.roles, 'id')} AS id, ${col(f.roles, 'result')} AS result, ` +
    `${col(f.roles, 'sampled_at')} AS sampled_at FROM ${csv(f.path)}`).join(' UNION ALL ');
  await run(`COPY (
    WITH r AS (${r}), s AS (${s}),
    latest AS (SELECT id, arg_max(result, sampled_at) AS result, max(sampled_at) AS sampled_at FROM s GROUP BY id)
    SELECT r.building, r.unit, r.room, r.name, r.id, r.phone, latest.result, latest.sampled_at
    FROM r LEFT JOIN latest ON r.id = latest.id
    ORDER BY r.building, r.unit, r.room
  ) TO ${qs(opt.out)} (FORMAT csv, HEADER)`);
  lap('plain join written');
  if (opt.verbose) {
    const [c] = await rows(`SELECT count(*) AS residents, count(result) AS tested FROM read_csv(${qs(opt.out)}, all_varchar=true)`);
    process.stderr.write(JSON.stringify(c) + '\n');
  }
  process.exit(0);
}

// ---- rosters: every file's columns under the role names, plus the extras
const extras = [];
for (const f of roster) {
  const roleCols = new Set(Object.values(f.roles));
  for (const h of f.header) if (!roleCols.has(h) && !extras.includes(h)) extras.push(h);
}
const rosterUnion = roster.map((f, i) => {
  const mine = new Set(f.header);
  const ex = extras.map((h, k) => `${mine.has(h) && !Object.values(f.roles).includes(h) ? `coalesce(${qi(h)}, '')` : "''"} AS x${k}`);
  return `SELECT ${i} AS file, ${qs(basename(f.path))} AS fname, row_number() OVER () + 1 AS line, ` +
    Object.keys(ROSTER_ALIASES).map((k) => `${col(f.roles, k)} AS raw_${k}`).join(', ') +
    (ex.length ? ', ' + ex.join(', ') : '') + ` FROM ${csv(f.path)}`;
}).join(' UNION ALL ');
const X = extras.map((_, k) => `x${k}`);

// row_number() OVER () numbers each file's rows in order (a streaming window:
// one thread), so the raw text is stored first and normalised in parallel.
await run(`CREATE TEMP TABLE ro_raw AS ${rosterUnion}`);
await run(`CREATE TEMP TABLE ro_all AS
  SELECT file, fname, line, (file::BIGINT << 40) + line AS res,
    CASE WHEN mangled OR masked THEN '' ELSE id0 END AS id,
    concat_ws(';', CASE WHEN mangled THEN 'id-mangled:' || raw_id END,
      CASE WHEN n17 IS NOT NULL AND ${checkChar('n17')} <> substr(id0, 18, 1) THEN 'id-checksum' END,
      CASE WHEN is15 THEN 'id-15' END) AS flags,
    name_key, name, phone, building, unit, room, exempt${X.map((x) => ', ' + x).join('')}
  FROM (
    SELECT *, CASE WHEN NOT mangled AND NOT masked AND regexp_full_match(id0, '[0-9]{17}[0-9X]')
      THEN CAST(substr(id0, 1, 17) AS BIGINT) END AS n17
    FROM (
      SELECT *, CASE WHEN is15 THEN ${upgrade15("substr(d, 1, 6) || '19' || substr(d, 7)")} ELSE d END AS id0
      FROM (
        SELECT *, regexp_full_match(d, '[0-9](\\.[0-9]+)?E\\+?[0-9]+') AS mangled, contains(d, '*') AS masked,
          regexp_full_match(d, '[0-9]{15}') AS is15
        FROM (
          SELECT file, fname, line, raw_id, ${idClean('raw_id')} AS d,
            ${nameKey('raw_name')} AS name_key, trim(raw_name) AS name, ${phoneKey('raw_phone')} AS phone,
            ${normText('raw_building')} AS building, ${normText('raw_unit')} AS unit, ${normText('raw_room')} AS room,
            regexp_matches(raw_status, '${EXEMPT}', 'i') AS exempt${X.map((x) => ', ' + x).join('')}
          FROM ro_raw
        )
      )
    )
  )`);
await run('DROP TABLE ro_raw');
lap('rosters read');
// Roster problems: nothing to identify the row, or an id seen before (the first stands).
await run(`CREATE TEMP TABLE ro AS SELECT ro_all.* FROM ro_all
  LEFT JOIN (SELECT id, min(res) AS first FROM ro_all WHERE id <> '' GROUP BY id) f ON ro_all.id = f.id
  WHERE NOT (ro_all.id = '' AND name_key = '') AND (ro_all.id = '' OR res = f.first)`);
const counts = {};
if (opt.verbose) {
  [counts.roster] = await rows(`SELECT (SELECT count(*) FROM ro_all) AS rows, count(*) AS residents,
      (SELECT count(*) FROM ro_all) - count(*) AS problem FROM ro`);
}
await run('DROP TABLE ro_all');
lap('roster problems dropped');

// ---- results
const resultsUnion = results.map((f, i) =>
  `SELECT ${i} AS file, row_number() OVER () + 1 AS line, ` +
  Object.keys(RESULTS_ALIASES).map((k) => `${col(f.roles, k)} AS raw_${k}`).join(', ') +
  ` FROM ${csv(f.path)}`).join(' UNION ALL ');

let since = opt.since ? stamp(opt.since, false) : null;
let until = opt.until ? stamp(opt.until, true) : null;
if (opt.day) { since = stamp(opt.day, false); until = stamp(opt.day, true); }
const windowed = since !== null || until !== null;
const inWindow = [since && `t >= ${since}`, until && `t < ${until}`].filter(Boolean).join(' AND ') || 'true';

const vocab = VOCABULARY.map(([st, rx]) => `WHEN regexp_full_match(k, '(?i)(?:${rx})') THEN '${st}'`).join(' ');
await run(`CREATE TEMP TABLE rs_raw AS ${resultsUnion}`);
await run(`CREATE TEMP TABLE rs AS
  WITH words AS (
    SELECT w, CASE ${vocab} ELSE 'unknown' END AS state
    FROM (SELECT w, ${normText('w')} AS k FROM (SELECT DISTINCT raw_result AS w FROM rs_raw))
  ),
  n AS (
    SELECT (file::BIGINT << 40) + line AS seq, raw_result AS result,
      CASE WHEN mangled OR masked OR d = '' THEN NULL WHEN is15 THEN ${upgrade15("substr(d, 1, 6) || '19' || substr(d, 7)")} ELSE d END AS id_key,
      NOT mangled AND NOT masked AND d <> '' AS id_usable,
      name_key, phone_key, sampled, coalesce(sampled, reported) AS t
    FROM (
      SELECT *, regexp_full_match(d, '[0-9](\\.[0-9]+)?E\\+?[0-9]+') AS mangled, contains(d, '*') AS masked,
        regexp_full_match(d, '[0-9]{15}') AS is15
      FROM (
        SELECT file, line, raw_result, ${idClean('raw_id')} AS d, ${nameKey('raw_name')} AS name_key,
          ${phoneKey('raw_phone')} AS phone_key, ${parseTime('raw_sampled_at')} AS sampled,
          ${parseTime('raw_reported_at')} AS reported
        FROM rs_raw
      )
    )
  )
  SELECT n.*, words.state,
    CASE WHEN NOT id_usable AND name_key = '' THEN 'problem'
      ${windowed ? "WHEN t IS NULL THEN 'problem'" : ''}
      WHEN NOT coalesce(${inWindow}, true) THEN 'out_of_window'
      WHEN words.state = 'unknown' THEN 'problem'
      ELSE 'live' END AS outcome
  FROM n JOIN words ON n.result = words.w`);
await run('DROP TABLE rs_raw');
lap('results read');

// ---- match by id, then rescue by name + phone with exactly one candidate
await run(`CREATE TEMP TABLE applied AS
  WITH live AS (SELECT * FROM rs WHERE outcome = 'live'),
  m AS (
    SELECT live.*, ro.res AS id_res, ro.name_key AS roster_name_key
    FROM live LEFT JOIN ro ON live.id_key = ro.id
  ),
  np AS (
    SELECT name_key, phone, min(res) AS res FROM ro
    WHERE name_key <> '' AND phone <> '' GROUP BY name_key, phone HAVING count(*) = 1
  )
  SELECT id_res AS res, seq, state, result, sampled, t, 'id' AS match,
    name_key <> '' AND roster_name_key <> '' AND name_key <> roster_name_key AS name_differs
  FROM m WHERE id_res IS NOT NULL
  UNION ALL
  SELECT np.res, seq, state, result, sampled, t, 'name+phone' AS match, false AS name_differs
  FROM m JOIN np ON m.name_key = np.name_key AND m.phone_key = np.phone
  WHERE m.id_res IS NULL AND m.phone_key <> ''`);
if (opt.verbose) {
  [counts.results] = await rows(`SELECT count(*) AS rows,
      (SELECT count(*) FROM applied) AS applied,
      count(*) FILTER (outcome = 'out_of_window') AS out_of_window,
      count(*) FILTER (outcome = 'live') - (SELECT count(*) FROM applied) AS unmatched,
      count(*) FILTER (outcome = 'problem') AS problem FROM rs`);
  counts.matches = await rows(`SELECT match, count(*) AS n FROM applied GROUP BY match ORDER BY match`);
}
await run('DROP TABLE rs');
lap('matched');

// ---- one state per resident, written in natural order
await run(`CREATE TEMP TABLE decided AS
  SELECT res, unnest(arg_max({'state': state, 'result': result, 'sampled': sampled, 'match': match, 'name_differs': name_differs},
    {'p': state = 'positive', 't': coalesce(t, TIMESTAMP '0001-01-01'), 's': seq}))
  FROM applied GROUP BY res`);
await run('DROP TABLE applied');
lap('decided');
// The natural order of the distinct buildings, units and rooms (few), as ranks.
const rank = (c) => `(SELECT v, row_number() OVER (ORDER BY ${natural('v')}) AS k FROM (SELECT DISTINCT ${c} AS v FROM ro))`;
await run(`COPY (
  -- NULL, not '', for an empty cell: COPY writes '' as "" and NULL as nothing
  SELECT nullif(ro.building, '') AS building, nullif(ro.unit, '') AS unit, nullif(ro.room, '') AS room,
    nullif(ro.name, '') AS name, nullif(ro.id, '') AS id, nullif(ro.phone, '') AS phone,
    coalesce(d.state, CASE WHEN ro.exempt THEN 'exempt' ELSE 'missing' END) AS state,
    nullif(d.result, '') AS result, strftime(d.sampled, '%Y-%m-%d %H:%M') AS sampled_at, d.match,
    nullif(concat_ws(';', nullif(ro.flags, ''), CASE WHEN d.name_differs THEN 'name-differs' END), '') AS flags,
    ro.fname || ':' || ro.line AS source${extras.map((h, k) => `, nullif(ro.x${k}, '') AS ${qi(h)}`).join('')}
  FROM ro LEFT JOIN decided d ON ro.res = d.res
    JOIN ${rank('building')} b ON ro.building = b.v
    JOIN ${rank('unit')} u ON ro.unit = u.v
    JOIN ${rank('room')} r ON ro.room = r.v
  ORDER BY b.k, u.k, r.k, ro.res
) TO ${qs(opt.out)} (FORMAT csv, HEADER)`);
lap('written');

if (opt.verbose) process.stderr.write(JSON.stringify(counts) + '\n');
