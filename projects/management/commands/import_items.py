from projects.editorial.commands import ImportCommand
from projects.editorial.importers import validate_items


class Command(ImportCommand):
    help = (
        "Import a year's list of items from XLSX or CSV, upserting by (year, number). "
        "Every row is validated first; nothing is saved unless the whole file is clean."
    )
    validate = staticmethod(validate_items)
