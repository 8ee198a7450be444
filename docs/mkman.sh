#!/bin/sh
# Make the man page kvmrun.1 from README.md: its Usage, Exit status,
# Endings and output, and guest contract sections, converted from the
# Markdown they are written in (headings, paragraphs, lists, tables, code
# blocks, `code`, **bold**, [links](...)) to man(7) macros.  One source, so
# the page and the README cannot drift apart.
#
#   docs/mkman.sh README.md VERSION >kvmrun.1
#
# POSIX sh and awk only (mawk is enough).
set -eu

readme=${1:?usage: docs/mkman.sh README.md VERSION}
version=${2:?usage: docs/mkman.sh README.md VERSION}

cat <<EOF
.\" kvmrun.1: made from README.md by docs/mkman.sh; edit the README, not this.
.TH KVMRUN 1 "" "kvmrun $version" "User Commands"
.SH NAME
kvmrun \\- run a flat 64-bit x86 binary in a new KVM virtual machine
EOF

awk '
# Inline Markdown to roff: escapes first, then `code`, **bold**, links.
function inline(s,    out, i, c, rest, j, k, code) {
	gsub(/\\\|/, "|", s)            # \| in table cells
	gsub(/\\/, "\\e", s)
	s = links(s)
	out = ""
	while ((i = index(s, "`")) > 0) {
		rest = substr(s, i + 1)
		j = index(rest, "`")
		if (j == 0)
			break
		code = substr(rest, 1, j - 1)
		gsub(/-/, "\\-", code)         # a minus in a command, not a hyphen
		out = out substr(s, 1, i - 1) "\\fB" code "\\fR"
		s = substr(rest, j + 1)
	}
	out = out s
	while ((i = index(out, "**")) > 0) {
		rest = substr(out, i + 2)
		j = index(rest, "**")
		if (j == 0)
			break
		out = substr(out, 1, i - 1) "\\fB" substr(rest, 1, j - 1) "\\fR" substr(rest, j + 2)
	}
	return out
}
# [text](target) -> text
function links(s,    i, j, k, out) {
	out = ""
	while ((i = index(s, "[")) > 0) {
		j = index(substr(s, i), "](")
		if (j == 0)
			break
		k = index(substr(s, i + j + 1), ")")
		if (k == 0)
			break
		out = out substr(s, 1, i - 1) substr(s, i + 1, j - 2)
		s = substr(s, i + j + k + 1)
	}
	return out s
}
# A text line: a leading dot or quote would be taken for a request.
function emit(s) {
	if (s ~ /^[.\047]/)
		s = "\\&" s
	print s
}
# Split a table row into cells (the bars at both ends dropped).
function cells(line, arr,    n, i, c, cur, esc) {
	sub(/^\|/, "", line)
	sub(/\|[ \t]*$/, "", line)
	n = 0
	cur = ""
	for (i = 1; i <= length(line); i++) {
		c = substr(line, i, 1)
		if (c == "\\" && substr(line, i + 1, 1) == "|") {
			cur = cur "\\|"
			i++
			continue
		}
		if (c == "|") {
			arr[++n] = cur
			cur = ""
			continue
		}
		cur = cur c
	}
	arr[++n] = cur
	for (i = 1; i <= n; i++) {
		gsub(/^[ \t]+|[ \t]+$/, "", arr[i])
	}
	return n
}
function upper(s) { return toupper(s) }

BEGIN { keep = 0; code = 0; table = 0 }

/^## / {
	title = substr($0, 4)
	keep = (title == "Usage" || title == "Exit status" ||
		title == "Endings and output" || title == "The guest contract")
	if (keep)
		print ".SH " upper(title)
	table = 0
	next
}
!keep { next }
/^### / { print ".SS " inline(substr($0, 5)); table = 0; next }
/^```/ {
	if (!code) { print ".PP"; print ".RS 4"; print ".nf" } else { print ".fi"; print ".RE" }
	code = !code
	next
}
code { gsub(/\\/, "\\e"); emit($0); next }
/^\|[ \t]*-/ { next }                    # the row under a table header
/^\|/ {
	n = cells($0, c)
	if (!table) { table = 1; next }         # the header row itself
	print ".TP"
	tag = inline(c[1])
	emit(tag)
	body = ""
	for (i = 2; i <= n; i++)
		body = body (i > 2 ? " \\(em " : "") inline(c[i])
	emit(body)
	next
}
/^- / { table = 0; print ".IP \\(bu 2"; emit(inline(substr($0, 3))); next }
/^  [^ ]/ { emit(inline(substr($0, 3))); next }
/^[ \t]*$/ { print ".PP"; table = 0; next }
{ table = 0; emit(inline($0)) }
' "$readme"

cat <<'EOF'
.SH SEE ALSO
The README (examples, how it works, security), docs/report.md (the JSON report) and
docs/security.md in kvmrun's source.
EOF
