package io.segmat.db;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Comparator;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.jar.JarEntry;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * The PostgreSQL binaries the jar carries (io.zonky's {@code postgres-linux-x86_64.txz}),
 * extracted once into a directory named after the archive, and found there by every later
 * start without reading the archive.
 * <p>
 * The embedded library reads the whole 15 MB archive and hashes it on every start to name
 * its directory; a command paid that each time. Here the name comes from the archive's
 * CRC-32 and size, which the jar's central directory holds, so a start reads no archive
 * byte. A directory is complete when its marker is there: extraction goes into a
 * directory of its own and is renamed into place, so concurrent first starts never see
 * half a tree.
 */
final class PostgresBinaries {

	/** Where the embedded library extracts too, with its property to move it. */
	private static final String WORKING_DIRECTORY_PROPERTY = "ot.epg.working-dir";

	private static final String COMPLETE_MARKER = ".segmat-complete";

	private static final Set<PosixFilePermission> EXECUTE = Set.of(PosixFilePermission.OWNER_EXECUTE,
			PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_EXECUTE);

	private PostgresBinaries() {
	}

	/** The directory holding {@code bin/}, {@code lib/} and {@code share/}. */
	static Path directory() throws IOException {
		return directory(workingDirectory());
	}

	static Path directory(Path workingDirectory) throws IOException {
		String resource = resourceName();
		URL archive = PostgresBinaries.class.getClassLoader().getResource(resource);
		if (archive == null) {
			throw new DatabaseUnavailableException(
					"this build of segmat carries no PostgreSQL binaries for this system (" + resource + "); set "
							+ DatabaseSettings.URL_VARIABLE + " to use a PostgreSQL server");
		}
		Path directory = workingDirectory.resolve("segmat-postgres-" + key(archive));
		if (!complete(directory)) {
			try {
				extract(archive, directory);
			}
			catch (IOException ex) {
				throw new IOException("cannot extract its binaries into " + directory + ": " + ex.getMessage(), ex);
			}
		}
		return directory;
	}

	private static String resourceName() {
		String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
		String system = os.startsWith("linux") ? "linux" : os.startsWith("mac") ? "darwin" : os.replace(' ', '_');
		String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
		String machine = switch (arch) {
			case "amd64", "x86_64" -> "x86_64";
			case "aarch64", "arm64" -> "arm_64";
			default -> arch;
		};
		return "postgres-" + system + "-" + machine + ".txz";
	}

	private static Path workingDirectory() {
		String configured = System.getProperty(WORKING_DIRECTORY_PROPERTY);
		return (configured != null) ? Path.of(configured)
				: Path.of(System.getProperty("java.io.tmpdir"), "embedded-pg");
	}

	/**
	 * The archive's CRC-32 and size, from the jar's directory when the archive is a jar
	 * entry (always, in the jar and its extracted form), else read from its bytes.
	 */
	private static String key(URL archive) throws IOException {
		URLConnection connection = archive.openConnection();
		if (connection instanceof JarURLConnection jar) {
			JarEntry entry = jar.getJarEntry();
			if (entry != null && entry.getCrc() != -1 && entry.getSize() != -1) {
				return key(entry.getCrc(), entry.getSize());
			}
		}
		try (CheckedInputStream in = new CheckedInputStream(connection.getInputStream(), new CRC32())) {
			long size = in.transferTo(OutputStream.nullOutputStream());
			return key(in.getChecksum().getValue(), size);
		}
	}

	private static String key(long crc, long size) {
		return String.format(Locale.ROOT, "%08x-%d", crc, size);
	}

	/**
	 * The marker and the programs a start runs: a tree a temporary-files cleaner has
	 * pruned is extracted again.
	 */
	private static boolean complete(Path directory) {
		return Files.isRegularFile(directory.resolve(COMPLETE_MARKER))
				&& Files.isExecutable(directory.resolve("bin/postgres"))
				&& Files.isExecutable(directory.resolve("bin/initdb"));
	}

	private static void extract(URL archive, Path directory) throws IOException {
		Files.createDirectories(directory.getParent());
		Path staging = directory.resolveSibling(directory.getFileName() + "." + UUID.randomUUID() + ".tmp");
		try {
			Files.createDirectory(staging);
			try (InputStream in = archive.openStream();
					TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(in))) {
				TarArchiveEntry entry;
				while ((entry = tar.getNextEntry()) != null) {
					Path target = staging.resolve(entry.getName()).normalize();
					if (!target.startsWith(staging)) {
						throw new IOException("the archive names a file outside its directory: " + entry.getName());
					}
					if (entry.isDirectory()) {
						Files.createDirectories(target);
					}
					else if (entry.isSymbolicLink() || entry.isLink()) {
						Files.createDirectories(target.getParent());
						Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
					}
					else {
						Files.createDirectories(target.getParent());
						Files.copy(tar, target);
						if ((entry.getMode() & 0111) != 0) {
							Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(target);
							permissions.addAll(EXECUTE);
							Files.setPosixFilePermissions(target, permissions);
						}
					}
				}
			}
			Files.createFile(staging.resolve(COMPLETE_MARKER));
			if (complete(directory)) {
				// Another command's first start got there first.
				return;
			}
			if (Files.exists(directory)) {
				// Incomplete: set aside whole, so no start uses a half-deleted tree.
				Path stale = directory.resolveSibling(directory.getFileName() + "." + UUID.randomUUID() + ".old");
				moveQuietly(directory, stale);
				deleteQuietly(stale);
			}
			try {
				Files.move(staging, directory, StandardCopyOption.ATOMIC_MOVE);
			}
			catch (IOException ex) {
				// Another command's first start renamed its tree into place first.
				if (!complete(directory)) {
					throw ex;
				}
			}
		}
		finally {
			deleteQuietly(staging);
		}
	}

	private static void moveQuietly(Path from, Path to) {
		try {
			Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException ex) {
			// Another command moved it first.
		}
	}

	private static void deleteQuietly(Path directory) {
		if (!Files.exists(directory)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(directory)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> {
				try {
					Files.deleteIfExists(path);
				}
				catch (IOException ex) {
					// Left for the temporary-files cleaner: nothing reads it.
				}
			});
		}
		catch (IOException ex) {
			// As above.
		}
	}

}
