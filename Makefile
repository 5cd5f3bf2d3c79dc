# One command each to run, test and lint; the README and .ci/run use the same ones.
.PHONY: install run test test-fast lint
# .venv with the pinned dependencies, and the PDF report's fonts (apt, as root): what a server needs to run the app.
install:
	scripts/bootstrap
run:
	scripts/run
test:
	scripts/test
# A quicker subset for local work, no check changed: everything but the browser journeys (Chromium), the tests that
# start real servers (gunicorn, nginx, systemd units, make run) and the PostgreSQL runs of the database tests (their
# SQLite runs stay). `make test` is still the whole suite, and what CI runs.
test-fast:
	scripts/test -q -p no:cacheprovider --ignore=tests/browser --ignore=tests/test_serving.py \
		--ignore=tests/test_deploy.py --ignore=tests/test_logs.py --ignore=tests/test_make_run.py -k "not postgresql"
lint:
	scripts/lint
