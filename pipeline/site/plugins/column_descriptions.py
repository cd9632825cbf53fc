"""Datasette plugin: fold the long list of column descriptions on table pages into a <details>.

Datasette 0.65 prints every described column above the rows, which pushes the
search results of the listings table a full screen down.
"""

from datasette import hookimpl

FOLD_SCRIPT = """
document.querySelectorAll("dl.column-descriptions").forEach(function (list) {
    var details = document.createElement("details");
    var summary = document.createElement("summary");
    summary.textContent = "What each column means";
    list.parentNode.insertBefore(details, list);
    details.appendChild(summary);
    details.appendChild(list);
});
"""


@hookimpl
def extra_body_script():
    return FOLD_SCRIPT
