"""Score the importer on its corpus: `manage.py import_eval [--json] [--floor 0.95]`."""

import json

from django.core.management.base import BaseCommand, CommandError

from importer.scoring import KINDS, overall, score_corpus


class Command(BaseCommand):
    help = "Scores the minutes importer against the hand-written expected JSON of its corpus."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument(
            "--floor", type=float, default=None, help="fail below this overall share"
        )

    def handle(self, *args, **options):
        scores = score_corpus()
        total = overall(scores)
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "documents": {
                            s.document: {
                                "score": round(s.share, 4),
                                **{k: list(v) for k, v in s.counts.items()},
                            }
                            for s in scores
                        },
                        "overall": round(total, 4),
                    }
                )
            )
        else:
            header = f"{'document':44} " + " ".join(f"{k[:11]:>11}" for k in KINDS) + "   score"
            self.stdout.write(header)
            for s in scores:
                cells = " ".join(f"{f'{r}/{t}':>11}" for r, t in (s.counts[k] for k in KINDS))
                self.stdout.write(f"{s.document:44} {cells}  {s.share:6.1%}")
            self.stdout.write(f"{'overall':44} {' ' * 12 * len(KINDS)}{total:6.1%}")
        if options["floor"] is not None and total < options["floor"]:
            raise CommandError(
                f"overall score {total:.1%} is below the floor {options['floor']:.1%}"
            )
