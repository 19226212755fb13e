#!/usr/bin/env python3
"""Validate Prometheus text exposition format (0.0.4), strictly.

Usage: prometheus_check.py [--require NAME]... [FILE]      (default: stdin)

Exits 0 and prints a one-line summary when the input is valid, or prints one
line per problem ("line N: ...") on stderr and exits 1. Two independent
judges must both accept it:

1. prometheus_client's own parser (Debian's python3-prometheus-client,
   prometheus_client.parser.text_string_to_metric_families);
2. the stricter rules below, which are what node_exporter's textfile
   collector and the Prometheus server hold a file to:
   - every sample belongs to a family that has exactly one # HELP and one
     # TYPE line, both before its first sample; a family's samples are
     contiguous (no family appears twice);
   - metric names match [a-zA-Z_:][a-zA-Z0-9_:]*, label names
     [a-zA-Z_][a-zA-Z0-9_]* and do not start with "__"; no label twice;
   - label values are double-quoted with only \\\\, \\" and \\n escapes;
     HELP text uses only \\\\ and \\n escapes;
   - values are floats (decimal, NaN, +Inf, -Inf); counters are >= 0;
     no timestamps (the textfile collector rejects them);
   - no duplicate series (same name and label set);
   - histograms: every _bucket has le, each series has le="+Inf" and a
     _count equal to it; summaries: quantile labels within [0, 1];
   - UTF-8, \\n line endings, and the input ends with a newline.

With --require NAME the family NAME must be present (repeatable).
"""

import os
import re
import sys

try:
    from prometheus_client.parser import text_string_to_metric_families
except ImportError:  # a python3 that is not Debian's (pyenv, venv): use Debian's
    if os.path.realpath(sys.executable) != os.path.realpath("/usr/bin/python3") and os.access(
        "/usr/bin/python3", os.X_OK
    ) and not os.environ.get("PROMETHEUS_CHECK_REEXEC"):
        os.environ["PROMETHEUS_CHECK_REEXEC"] = "1"
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    sys.stderr.write(
        "prometheus_check: cannot import prometheus_client "
        "(apt-get install python3-prometheus-client)\n"
    )
    sys.exit(2)

METRIC_NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
LABEL_NAME = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")
FLOAT = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|[+-]?Inf|NaN")
TYPES = ("counter", "gauge", "histogram", "summary", "untyped")
SUFFIXES = {
    "histogram": ("_bucket", "_sum", "_count"),
    "summary": ("_sum", "_count"),
}
BLANKS = " \t"


class Family:
    def __init__(self, name):
        self.name = name
        self.help = None
        self.type = None
        self.help_line = 0
        self.type_line = 0
        self.samples = 0
        self.closed = False  # another family's sample came after ours


class Checker:
    def __init__(self):
        self.errors = []
        self.families = {}
        self.order = []
        self.current = None  # the family whose samples we are in
        self.series = {}
        self.samples = 0
        # histogram bookkeeping: (family, labels without le) -> values
        self.inf_bucket = {}
        self.hist_count = {}
        self.hist_series = set()

    def error(self, lineno, message):
        self.errors.append("line %d: %s" % (lineno, message) if lineno else message)

    def family(self, name):
        fam = self.families.get(name)
        if fam is None:
            fam = Family(name)
            self.families[name] = fam
            self.order.append(name)
        return fam

    # ------------------------------------------------------------ comments

    def comment(self, lineno, line):
        parts = line[1:].lstrip(BLANKS)
        keyword, _, rest = parts.partition(" ")
        if keyword not in ("HELP", "TYPE"):
            return  # an ordinary comment
        rest = rest.lstrip(BLANKS)
        name, _, text = rest.partition(" ")
        if "\t" in name:
            name, _, more = name.partition("\t")
            text = more + text
        if not name:
            self.error(lineno, "# %s without a metric name" % keyword)
            return
        if not METRIC_NAME.fullmatch(name):
            self.error(lineno, "invalid metric name %r in # %s" % (name, keyword))
            return
        fam = self.family(name)
        if fam.samples:
            self.error(lineno, "# %s for %s after its samples" % (keyword, name))
        if keyword == "HELP":
            if fam.help is not None:
                self.error(lineno, "second # HELP for %s (first on line %d)" % (name, fam.help_line))
            fam.help = text
            fam.help_line = lineno
            for match in re.finditer(r"\\(.?)", text):
                if match.group(1) not in ("\\", "n"):
                    self.error(lineno, "invalid escape %r in # HELP text of %s" % (match.group(0), name))
        else:
            kind = text.strip(BLANKS)
            if fam.type is not None:
                self.error(lineno, "second # TYPE for %s (first on line %d)" % (name, fam.type_line))
            if kind not in TYPES:
                self.error(lineno, "unknown type %r for %s" % (kind, name))
            fam.type = kind
            fam.type_line = lineno

    # ------------------------------------------------------------ samples

    def parse_labels(self, lineno, line, pos):
        """Parses {a="b",...} starting at line[pos] == '{'. Returns
        (labels dict, position after '}') or (None, pos) after an error."""
        labels = {}
        pos += 1
        while True:
            while pos < len(line) and line[pos] in BLANKS:
                pos += 1
            if pos < len(line) and line[pos] == "}":
                return labels, pos + 1
            match = LABEL_NAME.match(line, pos)
            if not match:
                self.error(lineno, "invalid label name at column %d" % (pos + 1))
                return None, pos
            lname = match.group(0)
            pos = match.end()
            if lname.startswith("__"):
                self.error(lineno, "label name %r is reserved (starts with __)" % lname)
            if lname in labels:
                self.error(lineno, "label %r twice" % lname)
            while pos < len(line) and line[pos] in BLANKS:
                pos += 1
            if pos >= len(line) or line[pos] != "=":
                self.error(lineno, "expected '=' after label %r" % lname)
                return None, pos
            pos += 1
            while pos < len(line) and line[pos] in BLANKS:
                pos += 1
            if pos >= len(line) or line[pos] != '"':
                self.error(lineno, "label %r: value must be double-quoted" % lname)
                return None, pos
            pos += 1
            value = []
            while True:
                if pos >= len(line):
                    self.error(lineno, "label %r: unterminated value" % lname)
                    return None, pos
                ch = line[pos]
                if ch == "\\":
                    nxt = line[pos + 1 : pos + 2]
                    if nxt == "\\":
                        value.append("\\")
                    elif nxt == '"':
                        value.append('"')
                    elif nxt == "n":
                        value.append("\n")
                    else:
                        self.error(lineno, "label %r: invalid escape %r" % (lname, "\\" + nxt))
                        return None, pos
                    pos += 2
                    continue
                if ch == '"':
                    pos += 1
                    break
                value.append(ch)
                pos += 1
            labels[lname] = "".join(value)
            while pos < len(line) and line[pos] in BLANKS:
                pos += 1
            if pos < len(line) and line[pos] == ",":
                pos += 1
                continue
            if pos < len(line) and line[pos] == "}":
                return labels, pos + 1
            self.error(lineno, "expected ',' or '}' after label %r" % lname)
            return None, pos

    def owner(self, name):
        """The declared family a sample name belongs to, or None."""
        if name in self.families and self.families[name].type not in ("histogram", "summary"):
            return self.families[name], ""
        for kind, suffixes in SUFFIXES.items():
            for suffix in suffixes:
                if name.endswith(suffix):
                    base = self.families.get(name[: -len(suffix)])
                    if base is not None and base.type == kind:
                        return base, suffix
        if name in self.families:
            return self.families[name], ""
        return None, ""

    def sample(self, lineno, line):
        match = METRIC_NAME.match(line)
        if not match:
            self.error(lineno, "invalid metric name at the start of %r" % line[:40])
            return
        name = match.group(0)
        pos = match.end()
        labels = {}
        if pos < len(line) and line[pos] == "{":
            labels, pos = self.parse_labels(lineno, line, pos)
            if labels is None:
                return
        elif pos < len(line) and line[pos] not in BLANKS:
            self.error(lineno, "invalid character %r in metric name %r" % (line[pos], name + line[pos]))
            return
        fields = line[pos:].split()
        if not fields:
            self.error(lineno, "%s: no value" % name)
            return
        if len(fields) > 1:
            if len(fields) == 2 and re.fullmatch(r"-?\d+", fields[1]):
                self.error(lineno, "%s: has a timestamp, which the textfile collector rejects" % name)
            else:
                self.error(lineno, "%s: unexpected text after the value: %r" % (name, " ".join(fields[1:])))
        text = fields[0]
        if not FLOAT.fullmatch(text):
            self.error(lineno, "%s: value %r is not a float" % (name, text))
            return
        value = float(text.replace("Inf", "inf"))

        fam, suffix = self.owner(name)
        if fam is None:
            self.error(lineno, "sample %s has no # HELP and # TYPE before it" % name)
            fam = self.family(name)
        else:
            if fam.help is None:
                self.error(lineno, "sample %s: family %s has no # HELP before it" % (name, fam.name))
            if fam.type is None:
                self.error(lineno, "sample %s: family %s has no # TYPE before it" % (name, fam.name))
        if fam.closed:
            self.error(lineno, "sample %s: family %s appears twice (its samples must be together)" % (name, fam.name))
        if self.current is not None and self.current is not fam:
            self.current.closed = True
        self.current = fam
        fam.samples += 1
        self.samples += 1

        key = (name, tuple(sorted(labels.items())))
        if key in self.series:
            self.error(lineno, "duplicate series %s%s (first on line %d)" % (name, format_labels(labels), self.series[key]))
        else:
            self.series[key] = lineno

        kind = fam.type
        if kind == "counter" and value < 0:
            self.error(lineno, "counter %s is negative (%s)" % (name, text))
        if kind == "histogram":
            rest = tuple(sorted((k, v) for k, v in labels.items() if k != "le"))
            self.hist_series.add((fam.name, rest))
            if suffix == "_bucket":
                if "le" not in labels:
                    self.error(lineno, "histogram bucket %s without an le label" % name)
                elif not FLOAT.fullmatch(labels["le"]):
                    self.error(lineno, "histogram bucket %s: le=%r is not a float" % (name, labels["le"]))
                elif labels["le"] == "+Inf":
                    self.inf_bucket[(fam.name, rest)] = value
            elif suffix == "_count":
                self.hist_count[(fam.name, rest)] = value
        if kind == "summary" and suffix == "" and "quantile" in labels:
            try:
                quantile = float(labels["quantile"])
            except ValueError:
                quantile = -1
            if not 0 <= quantile <= 1:
                self.error(lineno, "summary %s: quantile=%r is not within [0, 1]" % (name, labels["quantile"]))

    # ------------------------------------------------------------ whole input

    def check(self, data):
        if not data:
            self.error(0, "empty input: no metrics")
            return
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            self.error(0, "not UTF-8: %s" % exc)
            return
        if not text.endswith("\n"):
            self.error(0, "the input does not end with a newline")
        if "\r" in text:
            self.error(0, "carriage return found: lines must end with \\n alone")
        for lineno, line in enumerate(text.split("\n"), 1):
            if line.strip(BLANKS) == "":
                continue
            if line.startswith("#"):
                self.comment(lineno, line)
            elif line[0] in BLANKS:
                self.error(lineno, "line starts with white space")
            else:
                self.sample(lineno, line)
        for key in sorted(self.hist_series):
            if key not in self.inf_bucket:
                self.error(0, "histogram %s%s has no le=\"+Inf\" bucket" % (key[0], format_labels(dict(key[1]))))
            elif key in self.hist_count and self.hist_count[key] != self.inf_bucket[key]:
                self.error(0, "histogram %s%s: _count differs from the +Inf bucket" % (key[0], format_labels(dict(key[1]))))
            if key not in self.hist_count:
                self.error(0, "histogram %s%s has no _count" % (key[0], format_labels(dict(key[1]))))
        if self.samples == 0 and not self.errors:
            self.error(0, "no samples")


def format_labels(labels):
    if not labels:
        return ""
    return "{%s}" % ",".join('%s="%s"' % (k, v) for k, v in sorted(labels.items()))


def main(argv):
    required = []
    path = None
    args = list(argv[1:])
    while args:
        arg = args.pop(0)
        if arg == "--require" and args:
            required.append(args.pop(0))
        elif arg.startswith("--require="):
            required.append(arg.split("=", 1)[1])
        elif arg in ("-h", "--help"):
            sys.stdout.write(__doc__)
            return 0
        elif path is None and (arg == "-" or not arg.startswith("-")):
            path = arg
        else:
            sys.stderr.write("usage: prometheus_check.py [--require NAME]... [FILE]\n")
            return 2
    if path in (None, "-"):
        data = sys.stdin.buffer.read()
    else:
        with open(path, "rb") as handle:
            data = handle.read()

    checker = Checker()
    checker.check(data)

    # The reference parser, independently.
    parsed = 0
    try:
        for family in text_string_to_metric_families(data.decode("utf-8", "replace")):
            parsed += len(family.samples)
    except Exception as exc:  # its errors are ValueError, IndexError, ...
        checker.error(0, "prometheus_client's parser rejects it: %s: %s" % (type(exc).__name__, exc))

    for name in required:
        fam = checker.families.get(name)
        if fam is None or fam.samples == 0:
            checker.error(0, "required metric %s is missing" % name)

    if checker.errors:
        for message in checker.errors[:50]:
            sys.stderr.write("prometheus_check: %s\n" % message)
        if len(checker.errors) > 50:
            sys.stderr.write("prometheus_check: ... and %d more\n" % (len(checker.errors) - 50))
        return 1
    families = sum(1 for f in checker.families.values() if f.samples)
    sys.stdout.write("prometheus_check: ok (%d families, %d samples)\n" % (families, checker.samples))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
