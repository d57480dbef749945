from projects.editorial.commands import ImportCommand
from projects.editorial.importers import validate_progress


class Command(ImportCommand):
    help = (
        "Import a month's progress of many items from XLSX or CSV: each row becomes a "
        "progress update submitted for approval. Nothing is saved unless the file is clean."
    )
    validate = staticmethod(validate_progress)
