MVN ?= mvn -B -q
JAR := target/segmat.jar

.PHONY: build run test bench clean

build: $(JAR)

$(JAR): pom.xml $(shell find src/main db -type f 2>/dev/null)
	$(MVN) -DskipTests package

# Loads the demo data into the embedded PostgreSQL under ./.segmat, materializes the demo segments, prints them.
run: build
	java -jar $(JAR) demo

test:
	mvn -B test

bench: build
	mvn -B -q test-compile
	java -Xmx1g -cp "$(JAR)" io.segmat.Segmat --help >/dev/null

clean:
	rm -rf target
