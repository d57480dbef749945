"""Posting an import preview's form back as the editor's browser would."""

from django.urls import reverse


def preview_form(response, *, mapping=None, names=None, sheet=None):
    """The fields of the preview's form (source, sheet, one select per column, the unknown
    names' selects), as shown, with `mapping` ({column index: field or ""}), `names`
    ({select name: value}) and `sheet` changed the way the editor would change them."""
    context = response.context
    plan = context["plan"]
    data = {
        "source": context["source"],
        "checked": context["checked"],
        "shown_sheet": str(plan.sheet),
        "sheet": str(plan.sheet if sheet is None else sheet),
    }
    for column in plan.columns:
        data[f"col-{column.index}"] = column.field
    for item in context["unknowns"]:
        selected = item["selected"]
        data[item["unknown"].key] = "" if selected in ("", None) else str(selected)
    for index, name in (mapping or {}).items():
        data[f"col-{index}"] = name
    data.update(names or {})
    return data


def save(client, response, kind="items"):
    """Press "save" on a preview, unchanged."""
    data = preview_form(response)
    data["save"] = "1"
    return client.post(reverse(f"editorial:import_{kind}"), data)


def recheck(client, response, kind="items", **changes):
    """Change choices in the preview and press "check again"."""
    data = preview_form(response, **changes)
    data["recheck"] = "1"
    return client.post(reverse(f"editorial:import_{kind}"), data)
