from django.core.management import call_command

from importer.scoring import overall, score_corpus


def test_it_reads_the_corpus_above_the_floor():
    scores = score_corpus()
    assert len(scores) >= 14  # the held-out Westlea and Kestrel Hill minutes included
    assert overall(scores) >= 0.95
    assert all(s.share >= 0.85 for s in scores), [(s.document, s.share) for s in scores]


def test_the_command_prints_a_row_per_document_and_the_overall_score(capsys):
    call_command("import_eval", "--floor", "0.95")
    out = capsys.readouterr().out
    assert "one-swindon-board-2014-03-18.txt" in out
    assert out.strip().splitlines()[-1].startswith("overall")
