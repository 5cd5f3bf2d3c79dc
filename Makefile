# One command each to run, test and lint; the README and .ci/run use the same ones.
.PHONY: install run test lint
# .venv with the pinned dependencies, and the PDF report's fonts (apt, as root): what a server needs to run the app.
install:
	scripts/bootstrap
run:
	scripts/run
test:
	scripts/test
lint:
	scripts/lint
