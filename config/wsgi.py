import os

from django.core.wsgi import get_wsgi_application

from config.startup import freeze_loaded_heap

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()
freeze_loaded_heap()
