# ruff: noqa: E501 - expected citations are quoted whole, as the style guides print them
"""Formatted citations match each style guide's own examples, exactly.

Expected strings: APA 7 from the Publication Manual's "common references" examples
(1, 38, 50, 90, 111, also on apastyle.apa.org); AMA 11 from the AMA Manual of Style
§3.11/3.15 examples as quoted by university library guides (UW, Nova); Chicago
author-date from the Chicago Manual of Style quick guide (Keng et al. 2017); Vancouver
from NLM's Citing Medicine / sample references (Petitti et al. 2005). Where the CSL
style itself (not citeproc-py) differs from the printed guide, the test says so.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache

from fieldguide.library.citations import cache_key, citation_html, citations, render_csl
from fieldguide.library.models import Resource

MCCAULEY = {
    "type": "article-journal",
    "title": "Language learning as language use: A crosslinguistic model of child language development",
    "author": [
        {"family": "McCauley", "given": "Stewart M."},
        {"family": "Christiansen", "given": "Morten H."},
    ],
    "container-title": "Psychological Review",
    "issued": {"date-parts": [[2019]]},
    "volume": "126",
    "issue": "1",
    "page": "1-51",
    "DOI": "10.1037/rev0000126",
}
NCI_REPORT = {
    "type": "report",
    "title": "Facing forward: Life after cancer treatment",
    "author": [{"literal": "National Cancer Institute"}],
    "genre": "NIH Publication",
    "number": "18-2424",
    "publisher": "U.S. Department of Health and Human Services, National Institutes of Health",
    "issued": {"date-parts": [[2018]]},
    "URL": "https://www.cancer.gov/publications/patient-education/life-after-treatment.pdf",
}
BALSAM_CHAPTER = {
    "type": "chapter",
    "title": "Affirmative cognitive behavior therapy with sexual and gender minority people",
    "author": [
        {"family": "Balsam", "given": "Kimberly F."},
        {"family": "Martell", "given": "Christopher R."},
        {"family": "Jones", "given": "Kimberly P."},
        {"family": "Safren", "given": "Steven A."},
    ],
    "editor": [
        {"family": "Iwamasa", "given": "Gayle Y."},
        {"family": "Hays", "given": "Pamela A."},
    ],
    "container-title": "Culturally responsive cognitive behavior therapy: Practice and supervision",
    "edition": "2",
    "page": "287-314",
    "publisher": "American Psychological Association",
    "issued": {"date-parts": [[2019]]},
    "DOI": "10.1037/0000119-012",
}
OXFORD_VIDEO = {
    "type": "motion_picture",
    "title": "How do geckos walk on water?",
    "author": [{"literal": "University of Oxford"}],
    "publisher": "YouTube",
    "genre": "Video",
    "issued": {"date-parts": [[2018, 12, 6]]},
    "URL": "https://www.youtube.com/watch?v=qm1xGfOZJc8",
}
CDC_WEBPAGE = {
    "type": "webpage",
    "title": "People at high risk of developing flu-related complications",
    "author": [{"literal": "Centers for Disease Control and Prevention"}],
    "issued": {"date-parts": [[2018, 1, 23]]},
    "URL": "https://www.cdc.gov/flu/about/disease/high_risk.htm",
}


@pytest.mark.parametrize(
    "item, expected",
    [
        (
            MCCAULEY,
            "McCauley, S. M., &amp; Christiansen, M. H. (2019). Language learning as language use: A crosslinguistic "
            "model of child language development. <i>Psychological Review</i>, <i>126</i>(1), 1–51. "
            "https://doi.org/10.1037/rev0000126",
        ),
        (
            NCI_REPORT,
            "National Cancer Institute. (2018). <i>Facing forward: Life after cancer treatment</i> (NIH Publication "
            "No. 18-2424). U.S. Department of Health and Human Services, National Institutes of Health. "
            "https://www.cancer.gov/publications/patient-education/life-after-treatment.pdf",
        ),
        (
            BALSAM_CHAPTER,
            "Balsam, K. F., Martell, C. R., Jones, K. P., &amp; Safren, S. A. (2019). Affirmative cognitive behavior "
            "therapy with sexual and gender minority people. In G. Y. Iwamasa &amp; P. A. Hays (Eds.), <i>Culturally "
            "responsive cognitive behavior therapy: Practice and supervision</i> (2nd ed., pp. 287–314). American "
            "Psychological Association. https://doi.org/10.1037/0000119-012",
        ),
        (
            OXFORD_VIDEO,
            "University of Oxford. (2018, December 6). <i>How do geckos walk on water?</i> [Video]. YouTube. "
            "https://www.youtube.com/watch?v=qm1xGfOZJc8",
        ),
        (
            CDC_WEBPAGE,
            "Centers for Disease Control and Prevention. (2018, January 23). <i>People at high risk of developing "
            "flu-related complications</i>. https://www.cdc.gov/flu/about/disease/high_risk.htm",
        ),
    ],
    ids=["journal-doi", "report-organisation", "book-chapter", "video", "webpage"],
)
def test_apa7_matches_the_publication_manual_examples(item, expected):
    assert render_csl(item, "apa") == expected


def test_ama11_journal_article_with_doi():
    item = {
        "type": "article-journal",
        "title": "Primary care physicians’ perspectives about HPV vaccine",
        "author": [
            {"family": "Allison", "given": "Mandy A."},
            {"family": "Hurley", "given": "Laura P."},
            {"family": "Markowitz", "given": "Lauri"},
            {"family": "Crane", "given": "Lori A."},
            {"family": "Brtnikova", "given": "Michaela"},
            {"family": "Beaty", "given": "Brenda L."},
            {"family": "Snow", "given": "Megan"},
        ],
        "container-title": "Pediatrics",
        "container-title-short": "Pediatrics",
        "issued": {"date-parts": [[2016, 2]]},
        "volume": "137",
        "issue": "2",
        "page": "e20152488",
        "DOI": "10.1542/peds.2015-2488",
    }
    assert render_csl(item, "ama") == (
        "Allison MA, Hurley LP, Markowitz L, et al. Primary care physicians’ perspectives about HPV vaccine. "
        "<i>Pediatrics</i>. 2016;137(2):e20152488. doi:10.1542/peds.2015-2488"
    )


@pytest.mark.parametrize(
    "item, expected",
    [
        (
            BALSAM_CHAPTER,
            "Balsam KF, Martell CR, Jones KP, Safren SA. Affirmative cognitive behavior therapy with sexual and gender "
            "minority people. In: Iwamasa GY, Hays PA, eds. <i>Culturally Responsive Cognitive Behavior Therapy: "
            "Practice and Supervision</i>. 2nd ed. American Psychological Association; 2019:287-314. "
            "doi:10.1037/0000119-012",
        ),
        (
            OXFORD_VIDEO,
            "University of Oxford. <i>How Do Geckos Walk on Water?</i> YouTube; 2018. "
            "https://www.youtube.com/watch?v=qm1xGfOZJc8",
        ),
        (
            {**CDC_WEBPAGE, "accessed": {"date-parts": [[2020, 6, 3]]}},
            "Centers for Disease Control and Prevention. People at high risk of developing flu-related complications. "
            "January 23, 2018. Accessed June 3, 2020. https://www.cdc.gov/flu/about/disease/high_risk.htm",
        ),
    ],
    ids=["book-chapter", "video", "webpage-accessed"],
)
def test_ama11_other_types(item, expected):
    assert render_csl(item, "ama") == expected


def test_chicago_author_date_keeps_given_names_and_puts_period_inside_quotes():
    item = {
        "type": "article-journal",
        "title": "Expanding College Access in Taiwan, 1978–2014: Effects on Graduate Quality and Inequality",
        "author": [
            {"family": "Keng", "given": "Shao-Hsun"},
            {"family": "Lin", "given": "Chun-Hung"},
            {"family": "Orazem", "given": "Peter F."},
        ],
        "container-title": "Journal of Human Capital",
        "issued": {"date-parts": [[2017]]},
        "volume": "11",
        "issue": "1",
        "page": "1-34",
        "DOI": "10.1086/690235",
    }
    assert render_csl(item, "chicago") == (
        "Keng, Shao-Hsun, Chun-Hung Lin, and Peter F. Orazem. 2017. “Expanding College Access in Taiwan, "
        "1978–2014: Effects on Graduate Quality and Inequality.” <i>Journal of Human Capital</i> 11 (1): 1–34. "
        "https://doi.org/10.1086/690235."
    )


@pytest.mark.parametrize(
    "item, expected",
    [
        (
            BALSAM_CHAPTER,
            "Balsam, Kimberly F., Christopher R. Martell, Kimberly P. Jones, and Steven A. Safren. 2019. “Affirmative "
            "Cognitive Behavior Therapy with Sexual and Gender Minority People.” In <i>Culturally Responsive Cognitive "
            "Behavior Therapy: Practice and Supervision</i>, 2nd ed., edited by Gayle Y. Iwamasa and Pamela A. Hays. "
            "American Psychological Association. https://doi.org/10.1037/0000119-012.",
        ),
        (
            # Chicago 8.159: prepositions are lower case whatever their length ("after").
            NCI_REPORT,
            "National Cancer Institute. 2018. <i>Facing Forward: Life after Cancer Treatment</i>. NIH Publication No. "
            "18-2424. U.S. Department of Health and Human Services, National Institutes of Health. "
            "https://www.cancer.gov/publications/patient-education/life-after-treatment.pdf.",
        ),
        (
            OXFORD_VIDEO,
            "University of Oxford. 2018. <i>How Do Geckos Walk on Water?</i> Video. YouTube. "
            "https://www.youtube.com/watch?v=qm1xGfOZJc8.",
        ),
    ],
    ids=["book-chapter", "report-organisation", "video"],
)
def test_chicago_other_types(item, expected):
    assert render_csl(item, "chicago") == expected


def test_vancouver_journal_article_citing_medicine_example():
    item = {
        "type": "article-journal",
        "title": "Blood pressure levels before dementia",
        "author": [
            {"family": "Petitti", "given": "Diana B."},
            {"family": "Crooks", "given": "Valerie C."},
            {"family": "Buckwalter", "given": "J. Galen"},
            {"family": "Chiu", "given": "Vicki"},
        ],
        "container-title": "Archives of Neurology",
        "container-title-short": "Arch Neurol",
        "issued": {"date-parts": [[2005, 1]]},
        "volume": "62",
        "issue": "1",
        "page": "112-116",
    }
    # Citing Medicine prints "112-6"; the CSL style asks for the spec's default
    # page-range delimiter, an en dash, which every CSL processor prints.
    assert render_csl(item, "vancouver") == (
        "Petitti DB, Crooks VC, Buckwalter JG, Chiu V. Blood pressure levels before dementia. "
        "Arch Neurol. 2005 Jan;62(1):112–6."
    )


def test_vancouver_dates_keep_their_spaces():
    item = {
        **CDC_WEBPAGE,
        "issued": {"date-parts": [[2021, 8, 15]]},
        "accessed": {"date-parts": [[2022, 3, 23]]},
    }
    assert render_csl(item, "vancouver") == (
        "Centers for Disease Control and Prevention. People at high risk of developing flu-related complications "
        "[Internet]. 2021 [cited 2022 Mar 23]. Available from: https://www.cdc.gov/flu/about/disease/high_risk.htm"
    )


@pytest.mark.django_db
def test_citations_are_cached_by_resource_updated_at_and_style(guide):
    resource = Resource.objects.get(key="platt-2018")
    first = citation_html(resource, "apa")
    assert cache.get(cache_key(resource, "apa")) == first
    assert first.startswith("Platt, L. (2018). Associations between sex work laws")
    resource.title = "A changed title"
    resource.save()
    assert "A changed title" in citation_html(resource, "apa")


@pytest.mark.django_db
def test_all_styles_come_from_one_cache_read_and_fill_only_misses(guide):
    resource = Resource.objects.get(key="platt-2018")
    cache.set(cache_key(resource, "ama"), "cached AMA")
    cites = dict((style.key, html) for style, html in citations(resource))
    assert cites["ama"] == "cached AMA"
    assert cites["apa"].startswith("Platt, L. (2018).")
    assert cache.get(cache_key(resource, "chicago")) == cites["chicago"]
    assert list(cites) == ["apa", "ama", "chicago", "vancouver"]
