"""The one escaping helper: user text shown through Streamlit's Markdown stays text.

Every user-supplied string that reaches `st.markdown`, `st.write`, `st.success/error/...`,
`st.toast`, `st.caption` or a widget label goes through `plain()`: a name like
`![x](http://host/t.png)` must not load a remote image, `[t](url)` must not become a link,
and `**`, `<b>`, `:red[...]` or `$x$` must not restyle or swallow it.
"""

from __future__ import annotations

import re

#: characters that open Markdown inline syntax (emphasis, code, links, images, HTML, math, tables)
_INLINE = re.compile(r"([\\`*_\[\]<~$|])")
#: Streamlit's directives and shortcodes: `:red[...]`, `:material/x:`, `:smile:`
_DIRECTIVE = re.compile(r":(?=[A-Za-z0-9_/+-]+[:\[])")
#: what makes a line a quote, heading or list item ("> x", "# x", "- x", "1. x"), or underlines one ("---")
_BLOCK = re.compile(r"^(\s*)(>|[#+-](?=#*(?:\s|$)))", re.MULTILINE)
_SETEXT = re.compile(r"^(\s*)([=-])(?=[=-]*\s*$)", re.MULTILINE)
#: what GitHub-flavoured Markdown turns into a link by itself: "http://...", "www...."
_AUTOLINK = re.compile(r"\b((?:https?|ftp):)(?=//)|\b(www)(?=\.)", re.IGNORECASE)
_ORDERED = re.compile(r"^(\s*\d+)([.)])(?=\s|$)", re.MULTILINE)


def plain(text: object) -> str:
    """Return `text` (any object, via str) escaped so Markdown shows it literally."""
    # directives are found before escaping (which hides their "["), marked, then escaped
    marked = _DIRECTIVE.sub("\x00", str(text).replace("\x00", ""))
    escaped = _INLINE.sub(r"\\\1", marked).replace("\x00", "\\:")
    escaped = _AUTOLINK.sub(lambda m: f"{m[1][:-1]}\\:" if m[1] else f"{m[2]}\\", escaped)
    for block in (_BLOCK, _SETEXT, _ORDERED):
        escaped = block.sub(r"\1\\\2", escaped)
    return escaped
