"""Where files live: the default storage (papers, imports) and the PDF cache.

On one server both are folders under MEDIA_ROOT; with AWS_STORAGE_BUCKET_NAME set they are
an S3-compatible bucket that every web process and worker shares (django-storages).
"""

import os
import tempfile

from django.core.files.storage import FileSystemStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage


class ReplacingFileSystemStorage(FileSystemStorage):
    """Saves under exactly the name given, replacing what is there, by write-then-rename:
    a reader sees the old file or the new one, never half of one. The PDF cache and its
    progress files are named by their content key, so two writers agree on the bytes."""

    file_overwrite = True  # as django-storages' S3Storage says it

    def get_available_name(self, name, max_length=None):
        return name

    def _save(self, name, content):
        full_path = self.path(name)
        folder = os.path.dirname(full_path)
        os.makedirs(folder, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, suffix=".part", delete=False) as tmp:
            for chunk in content.chunks():
                tmp.write(chunk)
        if self.file_permissions_mode is not None:
            os.chmod(tmp.name, self.file_permissions_mode)
        os.replace(tmp.name, full_path)
        return name.replace("\\", "/")


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's hashed, compressed copies, leaving source-map comments alone: the npm
    builds in static/vendor/ name .map files that are not shipped, and a missing one must
    not stop collectstatic (a browser asks for a map only with its developer tools open)."""

    patterns = tuple(
        (extension, tuple(p for p in rules if "sourceMappingURL" not in str(p)))
        for extension, rules in CompressedManifestStaticFilesStorage.patterns
    )
