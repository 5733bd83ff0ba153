package io.segmat.testsupport;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** Files the tests read, from the test classpath: a clone holds all it needs. */
public final class TestResources {

	private TestResources() {
	}

	/** The folder or file at {@code name} under src/test/resources. */
	public static Path path(String name) {
		URL url = TestResources.class.getClassLoader().getResource(name);
		if (url == null) {
			throw new IllegalStateException("no test resource " + name);
		}
		try {
			return Path.of(url.toURI());
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
