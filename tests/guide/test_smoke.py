import pytest


@pytest.mark.django_db
def test_section_page_has_five_parts_in_order(client, guide):
    response = client.get("/section-1/")
    assert response.status_code == 200
    html = response.content.decode()
    headings = [
        "Introduction",
        "Selected Resources",
        "Discussion Questions",
        "Who To Follow",
        "For Further Learning",
    ]
    positions = [html.index(f">{h}</h2>") for h in headings]
    assert positions == sorted(positions)
