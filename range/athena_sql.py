"""Athena SQL over CloudTrail records, for the tests: moto's Athena runs no SQL (its GetQueryResults hands
out results queued through its moto-api), so the range evaluates the queries cordon sends and the tests
queue what Athena would have answered.

The table is the standard CloudTrail table AWS documents ("Creating the table for CloudTrail logs in
Athena using manual partitioning", Athena User Guide): the columns below, filled the way its JSON SerDe
fills them: keys are matched case-insensitively, a STRING column that meets an object or array keeps its
JSON text (requestparameters, responseelements, additionaleventdata, serviceeventdetails), a boolean
becomes 'true'/'false', a field the DDL does not declare is not in the table.

The SQL is the subset cordon emits, with Trino's semantics (Athena engine v3): `=`, IN and LIKE are
case-sensitive; LIKE takes ESCAPE; NULL is three-valued (a WHERE keeps only TRUE); lower(), coalesce(),
concat_ws() (NULL arguments after the separator skipped), regexp_like() (a search, Java syntax: Python's
`re` agrees on the plain subset cordon sends), ARRAY[...] and any_match(array, x -> predicate) (Trino's "Array
functions and operators": TRUE when an element's predicate is TRUE, else NULL when one is NULL, else FALSE),
CAST(x AS JSON) (a ROW with named fields becomes a JSON
object keyed by its field names) and json_format(); CASE WHEN; ORDER BY (NULLS LAST). Anything else is a
SqlError: the test fails instead of getting an answer Athena would not give.
"""

from __future__ import annotations

import json
import re

STRING, JSONTEXT = "string", "jsontext"
USERIDENTITY = {
    "type": STRING, "principalid": STRING, "arn": STRING, "accountid": STRING, "invokedby": STRING,
    "accesskeyid": STRING, "username": STRING,
    "sessioncontext": {
        "attributes": {"mfaauthenticated": STRING, "creationdate": STRING},
        "sessionissuer": {"type": STRING, "principalid": STRING, "arn": STRING, "accountid": STRING,
                          "username": STRING},
        "ec2roledelivery": STRING, "sourceidentity": STRING,
    },
}
COLUMNS = {
    "eventversion": STRING, "useridentity": USERIDENTITY, "eventtime": STRING, "eventsource": STRING,
    "eventname": STRING, "awsregion": STRING, "sourceipaddress": STRING, "useragent": STRING,
    "errorcode": STRING, "errormessage": STRING, "requestparameters": STRING, "responseelements": STRING,
    "additionaleventdata": STRING, "requestid": STRING, "eventid": STRING, "readonly": STRING,
    "resources": [{"arn": STRING, "accountid": STRING, "type": STRING}], "eventtype": STRING,
    "apiversion": STRING, "recipientaccountid": STRING, "serviceeventdetails": STRING,
    "sharedeventid": STRING, "vpcendpointid": STRING, "vpcendpointaccountid": STRING,
    "tlsdetails": {"tlsversion": STRING, "ciphersuite": STRING, "clientprovidedhostheader": STRING},
}


class SqlError(Exception):
    pass


class JsonValue:
    """A value of Trino's JSON type."""

    def __init__(self, value):
        self.value = value


def _field(obj: dict, name: str):
    for k, v in obj.items():
        if k.lower() == name:
            return v
    return None


def _cell(value, kind):
    if value is None:
        return None
    if kind == STRING:
        if isinstance(value, str):
            return value
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (dict, list)):
            return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
        return json.dumps(value)
    if isinstance(kind, list):
        return [_cell(v, kind[0]) for v in value] if isinstance(value, list) else None
    if isinstance(kind, dict):
        if not isinstance(value, dict):
            return None
        return {name: _cell(_field(value, name), sub) for name, sub in kind.items()}
    raise SqlError(f"unknown column kind {kind!r}")


def table_row(record: dict) -> dict:
    """One CloudTrail record as a row of the table: column name -> value (dict for a ROW, list for an
    ARRAY, str or None)."""
    return {name: _cell(_field(record, name), kind) for name, kind in COLUMNS.items()}


# ---- tokens ----

_TOKEN = re.compile(r"""
    (?P<space>\s+|--[^\n]*)
  | (?P<string>'(?:[^']|'')*')
  | (?P<number>\d+)
  | (?P<ident>[A-Za-z_][A-Za-z0-9_]*|"[^"]+")
  | (?P<op>->|<>|!=|<=|>=|\|\||[=<>(),.;*\[\]])
""", re.VERBOSE)

KEYWORDS = {"select", "from", "where", "order", "by", "and", "or", "not", "in", "like", "escape", "is",
            "null", "true", "false", "case", "when", "then", "else", "end", "cast", "as", "asc", "desc"}


def tokenize(sql: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    while pos < len(sql):
        m = _TOKEN.match(sql, pos)
        if not m:
            raise SqlError(f"unsupported SQL at {sql[pos:pos + 30]!r}")
        pos = m.end()
        kind = m.lastgroup
        text = m.group(kind)
        if kind == "space":
            continue
        if kind == "string":
            out.append(("string", text[1:-1].replace("''", "'")))
        elif kind == "ident":
            if text.startswith('"'):
                out.append(("ident", text[1:-1].lower()))
            elif text.lower() in KEYWORDS:
                out.append(("kw", text.lower()))
            else:
                out.append(("ident", text.lower()))
        else:
            out.append((kind, text))
    return out


# ---- parser: expressions become small tuples evaluated by _eval ----

class _Parser:
    def __init__(self, tokens):
        self.tokens, self.i = tokens, 0

    def peek(self, offset=0):
        j = self.i + offset
        return self.tokens[j] if j < len(self.tokens) else ("eof", "")

    def accept(self, kind, text=None):
        tok = self.peek()
        if tok[0] == kind and (text is None or tok[1] == text):
            self.i += 1
            return tok
        return None

    def expect(self, kind, text=None):
        tok = self.accept(kind, text)
        if not tok:
            raise SqlError(f"expected {text or kind}, found {self.peek()[1]!r}")
        return tok

    def statement(self):
        self.expect("kw", "select")
        columns = [self.select_item()]
        while self.accept("op", ","):
            columns.append(self.select_item())
        self.expect("kw", "from")
        table = self.expect("ident")[1]
        where = None
        if self.accept("kw", "where"):
            where = self.expr()
        order = []
        if self.accept("kw", "order"):
            self.expect("kw", "by")
            while True:
                order.append(self.expect("ident")[1])
                self.accept("kw", "asc")
                if self.accept("kw", "desc"):
                    raise SqlError("ORDER BY DESC is not emulated")
                if not self.accept("op", ","):
                    break
        self.accept("op", ";")
        if self.peek()[0] != "eof":
            raise SqlError(f"unexpected {self.peek()[1]!r} after the statement")
        return columns, table, where, order

    def select_item(self):
        start = self.peek()
        e = self.expr()
        if self.accept("kw", "as"):
            return self.expect("ident")[1], e
        if e[0] == "col":
            return e[1][-1], e
        raise SqlError(f"select item at {start[1]!r} needs AS")

    def expr(self):
        e = self.conj()
        while self.accept("kw", "or"):
            e = ("or", e, self.conj())
        return e

    def conj(self):
        e = self.neg()
        while self.accept("kw", "and"):
            e = ("and", e, self.neg())
        return e

    def neg(self):
        if self.accept("kw", "not"):
            return ("not", self.neg())
        return self.predicate()

    def predicate(self):
        e = self.concat()
        negate = bool(self.accept("kw", "not"))
        if self.accept("kw", "in"):
            self.expect("op", "(")
            items = [self.expr()]
            while self.accept("op", ","):
                items.append(self.expr())
            self.expect("op", ")")
            e = ("in", e, items)
        elif self.accept("kw", "like"):
            pattern = self.concat()
            escape = self.concat() if self.accept("kw", "escape") else None
            e = ("like", e, pattern, escape)
        elif negate:
            raise SqlError("NOT must precede IN or LIKE here")
        elif self.accept("kw", "is"):
            is_not = bool(self.accept("kw", "not"))
            self.expect("kw", "null")
            return ("isnull", e, is_not)
        else:
            for op in ("=", "<>", "!="):
                if self.accept("op", op):
                    return ("cmp", "=" if op == "=" else "<>", e, self.concat())
            return e
        return ("not", e) if negate else e

    def argument(self):
        """A function argument: an expression, or a lambda `x -> expr` (any_match's predicate)."""
        if self.peek()[0] == "ident" and self.peek(1) == ("op", "->"):
            name = self.expect("ident")[1]
            self.expect("op", "->")
            return ("lambda", name, self.expr())
        return self.expr()

    def concat(self):
        e = self.primary()
        while self.accept("op", "||"):
            e = ("call", "concat", [e, self.primary()])
        return e

    def primary(self):
        tok = self.peek()
        if self.accept("string"):
            return ("lit", tok[1])
        if self.accept("number"):
            return ("lit", int(tok[1]))
        if self.accept("kw", "true"):
            return ("lit", True)
        if self.accept("kw", "false"):
            return ("lit", False)
        if self.accept("kw", "null"):
            return ("lit", None)
        if self.accept("op", "("):
            e = self.expr()
            self.expect("op", ")")
            return e
        if self.accept("kw", "case"):
            whens = []
            while self.accept("kw", "when"):
                cond = self.expr()
                self.expect("kw", "then")
                whens.append((cond, self.expr()))
            other = self.expr() if self.accept("kw", "else") else ("lit", None)
            self.expect("kw", "end")
            return ("case", whens, other)
        if self.accept("kw", "cast"):
            self.expect("op", "(")
            e = self.expr()
            self.expect("kw", "as")
            target = self.expect("ident")[1]
            self.expect("op", ")")
            if target != "json":
                raise SqlError(f"CAST AS {target} is not emulated")
            return ("call", "cast_json", [e])
        if self.accept("ident"):
            if tok[1] == "array" and self.accept("op", "["):
                items = []
                if not self.accept("op", "]"):
                    items.append(self.expr())
                    while self.accept("op", ","):
                        items.append(self.expr())
                    self.expect("op", "]")
                return ("array", items)
            if self.accept("op", "("):
                args = []
                if not self.accept("op", ")"):
                    args.append(self.argument())
                    while self.accept("op", ","):
                        args.append(self.argument())
                    self.expect("op", ")")
                return ("call", tok[1], args)
            path = [tok[1]]
            while self.accept("op", "."):
                path.append(self.expect("ident")[1])
            return ("col", path)
        raise SqlError(f"unsupported SQL at {tok[1]!r}")


def _like(value: str, pattern: str, escape: str | None) -> bool:
    out, i = [], 0
    while i < len(pattern):
        c = pattern[i]
        if escape and c == escape:
            i += 1
            if i == len(pattern):
                raise SqlError("LIKE pattern ends with the escape character")
            out.append(re.escape(pattern[i]))
        elif c == "%":
            out.append(".*")
        elif c == "_":
            out.append(".")
        else:
            out.append(re.escape(c))
        i += 1
    return re.fullmatch("".join(out), value, re.DOTALL) is not None


def _and(a, b):
    if a is False or b is False:
        return False
    return None if a is None or b is None else True


def _or(a, b):
    if a is True or b is True:
        return True
    return None if a is None or b is None else False


def _call(name, args):
    if name == "lower":
        return None if args[0] is None else args[0].lower()
    if name == "coalesce":
        return next((a for a in args if a is not None), None)
    if name == "concat":
        return None if None in args else "".join(args)
    if name == "concat_ws":
        return None if args[0] is None else args[0].join(a for a in args[1:] if a is not None)
    if name == "regexp_like":
        return None if None in args else re.search(args[1], args[0]) is not None
    if name == "cast_json":
        return None if args[0] is None else JsonValue(args[0])
    if name == "json_format":
        if args[0] is None:
            return None
        if not isinstance(args[0], JsonValue):
            raise SqlError("json_format takes a JSON value")
        return json.dumps(args[0].value, separators=(",", ":"), ensure_ascii=False)
    raise SqlError(f"function {name}() is not emulated")


def _any_match(args, row):
    if len(args) != 2 or args[1][0] != "lambda":
        raise SqlError("any_match takes an array and a lambda")
    items = _eval(args[0], row)
    if items is None:
        return None
    if not isinstance(items, list):
        raise SqlError("any_match takes an array")
    _, name, body = args[1]
    result = False
    for item in items:
        v = _eval(body, dict(row, **{name: item}))
        if v is True:
            return True
        if v is None:
            result = None
    return result


def _eval(e, row):
    op = e[0]
    if op == "lit":
        return e[1]
    if op == "col":
        value = row
        for part in e[1]:
            if value is None:
                return None
            if not isinstance(value, dict) or part not in value:
                raise SqlError(f"column {'.'.join(e[1])} cannot be resolved")
            value = value[part]
        return value
    if op == "and":
        return _and(_eval(e[1], row), _eval(e[2], row))
    if op == "or":
        return _or(_eval(e[1], row), _eval(e[2], row))
    if op == "not":
        v = _eval(e[1], row)
        return None if v is None else not v
    if op == "cmp":
        a, b = _eval(e[2], row), _eval(e[3], row)
        if a is None or b is None:
            return None
        return (a == b) if e[1] == "=" else (a != b)
    if op == "in":
        v = _eval(e[1], row)
        if v is None:
            return None
        items = [_eval(x, row) for x in e[2]]
        if v in items:
            return True
        return None if None in items else False
    if op == "like":
        v, p = _eval(e[1], row), _eval(e[2], row)
        esc = _eval(e[3], row) if e[3] else None
        return None if v is None or p is None else _like(v, p, esc)
    if op == "isnull":
        v = _eval(e[1], row)
        return (v is not None) if e[2] else (v is None)
    if op == "case":
        for cond, value in e[1]:
            if _eval(cond, row) is True:
                return _eval(value, row)
        return _eval(e[2], row)
    if op == "array":
        return [_eval(x, row) for x in e[1]]
    if op == "call" and e[1] == "any_match":
        return _any_match(e[2], row)
    if op == "call":
        if any(a[0] == "lambda" for a in e[2]):
            raise SqlError(f"a lambda argument of {e[1]}() is not emulated")
        return _call(e[1], [_eval(a, row) for a in e[2]])
    raise SqlError(f"cannot evaluate {op}")


def _text(value):
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    raise SqlError("a ROW, ARRAY or JSON column must be formatted (json_format) to be returned here")


def run_query(sql: str, records: list[dict], table: str = "cloudtrail_logs") -> tuple[list[str], list[list]]:
    """Evaluates one SELECT over `records` (CloudTrail records, as in the log files) as the rows of
    `table`. Returns the column names and the rows (str or None cells), as GetQueryResults would."""
    columns, name, where, order = _Parser(tokenize(sql)).statement()
    if name != table:
        raise SqlError(f"table {name} does not exist")
    kept = []
    for record in records:
        row = table_row(record)
        if where is None or _eval(where, row) is True:
            kept.append((row, [_text(_eval(e, row)) for _, e in columns]))
    names = [n for n, _ in columns]

    def sort_value(pair, key):
        row, values = pair
        if key in names:
            return values[names.index(key)]
        if key not in row:
            raise SqlError(f"ORDER BY {key}: no such column")
        return _text(row[key])
    for key in reversed(order):
        kept.sort(key=lambda p: (sort_value(p, key) is None, sort_value(p, key) or ""))
    return names, [values for _, values in kept]
