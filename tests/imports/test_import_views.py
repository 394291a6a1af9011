"""The upload page: editors see the dry-run report first, then save the file they checked."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from registry.importing.views import STAGED_KEY
from tests.imports.test_importing import (
    EVERYTHING,
    NOTHING,
    counts,
    five_bad_rows,
    good_rows,
    to_csv,
)

UPLOAD = "imports:upload"


def upload(client, rows, name="records.csv"):
    return client.post(reverse(UPLOAD), {"file": SimpleUploadedFile(name, to_csv(rows).encode())})


def test_auditors_cannot_import(client, auditor):
    client.force_login(auditor)
    assert client.get(reverse(UPLOAD)).status_code == 403
    assert client.post(reverse("imports:commit"), {"token": "x"}).status_code == 403


def test_bad_file_shows_every_problem_and_saves_nothing(client, editor, leahy):
    client.force_login(editor)
    response = upload(client, five_bad_rows())
    text = response.content.decode()
    assert "9 problems; nothing was saved" in text
    assert "“2015-13-01” is not a date (YYYY-MM-DD)." in text
    assert 'name="token"' not in text
    assert counts() == NOTHING


def test_good_file_is_checked_then_saved(client, editor, leahy):
    client.force_login(editor)
    response = upload(client, good_rows())
    assert b"No problems found in 10 records" in response.content
    assert counts() == NOTHING  # the check saves nothing
    token = client.session[STAGED_KEY]["token"]
    response = client.post(reverse("imports:commit"), {"token": token}, follow=True)
    assert b"Imported 1 agreement, 1 condition, 2 participant" in response.content
    assert counts() == EVERYTHING
    # The staged file is used once.
    response = client.post(reverse("imports:commit"), {"token": token}, follow=True)
    assert b"upload it again" in response.content
    assert counts() == EVERYTHING


def test_another_token_is_refused(client, editor, leahy):
    client.force_login(editor)
    upload(client, good_rows())
    response = client.post(reverse("imports:commit"), {"token": "guessed"}, follow=True)
    assert b"upload it again" in response.content
    assert counts() == NOTHING


def test_not_utf8_is_a_form_error(client, editor, db):
    client.force_login(editor)
    response = client.post(
        reverse(UPLOAD), {"file": SimpleUploadedFile("x.csv", b"\xff\xfe\x00bad")}
    )
    assert b"The file is not UTF-8 text." in response.content


def test_a_check_that_failed_at_save_says_the_records_changed(rf):
    from django.template.loader import render_to_string

    errors = [{"row": 2, "field": "name", "message": "A partner with this name exists."}]
    html = render_to_string(
        "imports/_check_result.html", {"errors": errors, "changed": True, "rows": 3}
    )
    assert "1 problem; nothing was saved" in html and "The records changed since the check" in html
    clean = render_to_string(
        "imports/_check_result.html", {"errors": [], "rows": 3, "created": {"partner": 3}}
    )
    assert "No problems found in 3 records" in clean and "<td>3</td>" in clean
