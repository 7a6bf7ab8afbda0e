import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from initiatives.models import Initiative
from tests.factories import InitiativeFactory, SourceFactory

State = Initiative.State


@pytest.fixture
def document_of(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    def make(initiative):
        source = SourceFactory(initiative=initiative)
        source.document.save("evaluation.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
        return reverse("source-document", args=[source.pk])

    return make


@pytest.mark.django_db
def test_documents_of_published_records_download_as_attachments(client, document_of):
    url = document_of(InitiativeFactory(state=State.PUBLISHED))
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="evaluation')
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


@pytest.mark.django_db
@pytest.mark.parametrize("state", [s for s in State.values if s != State.PUBLISHED])
def test_documents_of_unpublished_records_are_hidden(client, sign_in_editor, document_of, state):
    initiative = InitiativeFactory(state=state)
    url = document_of(initiative)
    assert client.get(url).status_code == 404
    sign_in_editor()
    assert client.get(url).status_code == 404
    sign_in_editor(initiative.owner)
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_a_source_without_a_document_has_nothing_to_download(client):
    source = SourceFactory(initiative=InitiativeFactory())
    assert client.get(reverse("source-document", args=[source.pk])).status_code == 404
