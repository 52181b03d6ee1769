// DuckDB side of bench/hunt/run.sh: the same selection with an explicit schema.
//   node duckdb_hunt.mjs cloudtrail|flows DATA_DIR INSTANCE IP OUT_FILE
import { DuckDBInstance } from '@duckdb/node-api';
import { writeFileSync } from 'node:fs';

const [kind, dir, instance, ip, out] = process.argv.slice(2);
const esc = (s) => s.replace(/[.\-]/g, (c) => '\\' + c);
const re = (tokens) => `(^|[^0-9A-Za-z_.-])(${tokens.map(esc).join('|')})($|[^0-9A-Za-z_.-])`;
const q = (s) => `'${s.replace(/'/g, "''")}'`;

const db = await DuckDBInstance.create(':memory:', { threads: '2' });
const con = await db.connect();
if (kind === 'cloudtrail') {
  const ids = q(re([instance, ip]));
  const sql = `
    WITH records AS (
      SELECT unnest(Records) AS r FROM read_json(${q(dir + '/**/*.json.gz')}, format = 'auto',
        columns = {Records: 'STRUCT(eventID VARCHAR, eventTime VARCHAR, sourceIPAddress VARCHAR,
          userIdentity STRUCT(arn VARCHAR, principalId VARCHAR, accessKeyId VARCHAR),
          requestParameters JSON, responseElements JSON, resources JSON)[]'},
        maximum_object_size = 268435456)
    )
    SELECT r.eventID AS id FROM records
    WHERE regexp_matches(coalesce(r.userIdentity.arn, ''), ${ids})
       OR regexp_matches(coalesce(r.userIdentity.principalId, ''), ${ids})
       OR regexp_matches(coalesce(r.userIdentity.accessKeyId, ''), ${ids})
       OR r.sourceIPAddress = ${q(ip)}
       OR regexp_matches(coalesce(CAST(r.requestParameters AS VARCHAR), ''), ${ids})
       OR regexp_matches(coalesce(CAST(r.responseElements AS VARCHAR), ''), ${ids})
       OR regexp_matches(coalesce(CAST(r.resources AS VARCHAR), ''), ${ids})
    ORDER BY 1`;
  const reader = await con.runAndReadAll(sql);
  const rows = reader.getRows().map((row) => row[0]);
  writeFileSync(out, rows.map((x) => x + '\n').join(''));
  console.log(JSON.stringify({ records: rows.length }));
} else {
  const sql = `
    SELECT count(*) AS records, sum(bytes) AS bytes FROM read_csv(${q(dir + '/**/*.log.gz')}, delim = ' ',
      header = true, auto_detect = false,
      columns = {version: 'INTEGER', account_id: 'VARCHAR', interface_id: 'VARCHAR', srcaddr: 'VARCHAR',
                 dstaddr: 'VARCHAR', srcport: 'INTEGER', dstport: 'INTEGER', protocol: 'INTEGER',
                 packets: 'BIGINT', bytes: 'BIGINT', start: 'BIGINT', "end": 'BIGINT', action: 'VARCHAR',
                 log_status: 'VARCHAR'})
    WHERE log_status = 'OK' AND (srcaddr = ${q(ip)} OR dstaddr = ${q(ip)})`;
  const reader = await con.runAndReadAll(sql);
  const [records, bytes] = reader.getRows()[0];
  writeFileSync(out, `${records} ${bytes}\n`);
  console.log(JSON.stringify({ records: Number(records), bytes: String(bytes) }));
}
