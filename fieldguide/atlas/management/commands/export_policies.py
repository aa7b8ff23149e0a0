import sys

from django.core.management.base import BaseCommand

from fieldguide.atlas.policy_csv import export_policy_csv


class Command(BaseCommand):
    help = "Write every policy record as CSV (the import format) to standard output."

    def handle(self, *args, **options):
        sys.stdout.write(export_policy_csv())
