"""The admin import: upload a file or paste DOIs, preview and choose, apply, report."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import import_staging
from .crossref import fetch_entries
from .formats import FORMATS, ParsedEntry, parse
from .import_forms import EntryChoicesForm, ImportSourceForm, max_entries, too_many_entries
from .importing import apply

logger = logging.getLogger(__name__)
ADD_PERMISSION = "library.add_resource"
CHANGE_PERMISSION = "library.change_resource"


class ImportPage(WagtailAdminTemplateMixin):
    """Admin furniture for the import's three steps (users need ADD_PERMISSION: urls)."""

    page_title = "Import resources"
    header_icon = "upload"

    def get_breadcrumbs_items(self) -> list[dict]:
        return [
            *self.breadcrumbs_items,
            {"url": reverse("wagtailsnippets_library_resource:list"), "label": "Resources"},
            {"url": "", "label": self.get_page_title()},
        ]


class ImportStartView(ImportPage, FormView):
    """Step 1: a reference file or DOIs."""

    template_name = "library/admin/import_start.html"
    form_class = ImportSourceForm

    def form_valid(self, form: ImportSourceForm) -> HttpResponse:
        upload, dois = form.cleaned_data["file"], form.cleaned_data["dois"]
        if upload:
            fmt = form.cleaned_data["format"]
            label = FORMATS[fmt][0]
            try:
                entries = parse(upload["text"], fmt)
            except Exception:  # a parser library failing on odd input must not be a 500
                logger.exception("Parsing %s as %s failed", upload["name"], fmt)
                form.add_error("file", f"{upload['name']} could not be read as {label}.")
                return self.form_invalid(form)
            source = f"{upload['name']} ({label})"
        else:
            entries = fetch_entries(dois)
            source = f"{len(dois)} DOI{'s' if len(dois) != 1 else ''} from Crossref"
        problem = self._whole_file_problem(entries, source)
        if problem:
            form.add_error("file" if upload else "dois", problem)
            return self.form_invalid(form)
        token = import_staging.stage(self.request, source, entries)
        return redirect("library_import:preview", token=token)

    @staticmethod
    def _whole_file_problem(entries: list[ParsedEntry], source: str) -> str:
        if not entries:
            return f"No entries found in {source}."
        if len(entries) > max_entries():
            return too_many_entries(source, len(entries))
        only = entries[0]
        if len(entries) == 1 and only.index == 0 and only.errors:
            return f"{source}: " + "; ".join(only.errors)
        return ""


class StagedImportView(ImportPage, TemplateView):
    """A view of one staged import: an unknown token goes back to step 1, a finished
    import to its report, an unfinished one to its preview."""

    staged: dict
    shows_report = False

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        token = kwargs["token"]
        staged = import_staging.load(request, token)
        if staged is None:
            messages.error(request, "That import is no longer waiting; start again.")
            return redirect("library_import:start")
        if (staged["report"] is not None) != self.shows_report:
            step = "report" if staged["report"] is not None else "preview"
            return redirect(f"library_import:{step}", token=token)
        self.staged = staged
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self) -> str:
        return self.staged["source"]


class ImportPreviewView(StagedImportView):
    """Step 2: every entry, its problems and duplicates, and a choice for each."""

    template_name = "library/admin/import_preview.html"

    def _form(self, rows: list, data=None) -> EntryChoicesForm:
        can_merge = self.request.user.has_perm(CHANGE_PERMISSION)
        return EntryChoicesForm(data, rows=rows, can_merge=can_merge)

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        rows = kwargs.get("rows") or import_staging.preview_rows(self.staged["entries"])
        form = kwargs.get("form") or self._form(rows)
        context.update(
            rows=[(row, form[row.field_name] if row.importable else None) for row in rows],
            form=form,
            importable=sum(row.importable for row in rows),
            with_problems=sum(not row.importable for row in rows),
            duplicates=sum(row.importable and row.has_duplicate for row in rows),
        )
        return context

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        rows = import_staging.preview_rows(self.staged["entries"])
        form = self._form(rows, request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(rows=rows, form=form))
        outcomes = [
            apply(entry, form.cleaned_data.get(f"entry-{entry.index}", "skip"), request.user)
            for entry in self.staged["entries"]
        ]
        import_staging.save_report(request, token, outcomes)
        return redirect("library_import:report", token=token)


class ImportReportView(StagedImportView):
    """Step 3: what happened to each entry."""

    template_name = "library/admin/import_report.html"
    shows_report = True

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        report = self.staged["report"]
        counts = {status: 0 for status in ("created", "merged", "skipped", "failed")}
        for row in report:
            counts[row["status"]] += 1
        context.update(report=report, counts=counts)
        return context
