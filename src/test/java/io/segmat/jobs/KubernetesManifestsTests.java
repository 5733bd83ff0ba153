package io.segmat.jobs;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The manifests in jobs/kubernetes hold together: what one names, another defines. Names,
 * ports, probe paths and secret keys are checked as a cluster would resolve them, since a
 * wrong one shows up only after a rollout.
 */
class KubernetesManifestsTests {

	private static final Path DIRECTORY = Path.of("jobs", "kubernetes");

	private static final String LIVENESS = "/actuator/health/liveness";

	private static final String READINESS = "/actuator/health/readiness";

	private static final String PROMETHEUS = "/actuator/prometheus";

	private static final int MANAGEMENT_PORT = 8081;

	private static final int API_PORT = 8080;

	private final List<Map<String, Object>> manifests = load();

	@Test
	void theKustomizationListsEveryManifestAndOnlyFilesThatExist() throws IOException {
		Map<String, Object> kustomization = document(DIRECTORY.resolve("kustomization.yaml")).get(0);
		List<String> resources = strings(kustomization.get("resources"));

		assertThat(kustomization.get("kind")).isEqualTo("Kustomization");
		for (String resource : resources) {
			assertThat(DIRECTORY.resolve(resource)).as(resource).isRegularFile();
		}
		assertThat(resources).containsExactlyInAnyOrderElementsOf(manifestFiles());
	}

	@Test
	void everyManifestHasAKindAndAName() {
		assertThat(this.manifests).isNotEmpty().allSatisfy((manifest) -> {
			assertThat(manifest.get("apiVersion")).isNotNull();
			assertThat(manifest.get("kind")).isNotNull();
			assertThat(map(manifest.get("metadata")).get("name")).isNotNull();
		});
		assertThat(kinds()).contains("Secret", "Deployment", "Service", "CronJob");
	}

	@Test
	void everySecretReferenceNamesASecretAndOneOfItsKeys() {
		Map<String, Set<String>> secrets = secrets();
		List<String> references = new ArrayList<>();
		for (Map<String, Object> container : containers()) {
			for (Map<String, Object> env : maps(container.get("env"))) {
				Map<String, Object> from = map(env.get("valueFrom"));
				if (from.containsKey("secretKeyRef")) {
					Map<String, Object> ref = map(from.get("secretKeyRef"));
					assertThat(secrets).as("secret of %s", env.get("name")).containsKey((String) ref.get("name"));
					assertThat(secrets.get((String) ref.get("name"))).as("key of %s", env.get("name"))
						.contains((String) ref.get("key"));
					references.add((String) ref.get("key"));
				}
			}
			for (Map<String, Object> envFrom : maps(container.get("envFrom"))) {
				if (envFrom.containsKey("secretRef")) {
					assertThat(secrets).containsKey((String) map(envFrom.get("secretRef")).get("name"));
				}
			}
		}
		assertThat(references).contains("db-url", "db-user", "db-password", "api-keys");
	}

	@Test
	void probesAskTheActuatorOnTheManagementPortByAPortTheContainerDeclares() {
		Map<String, Object> serve = container(podSpec(named("Deployment", "segmat-serve")), "serve");
		Map<String, Object> ports = containerPorts(serve);

		assertThat(ports).containsEntry("http", API_PORT).containsEntry("management", MANAGEMENT_PORT);
		assertThat(httpGet(serve, "livenessProbe").get("path")).isEqualTo(LIVENESS);
		assertThat(httpGet(serve, "readinessProbe").get("path")).isEqualTo(READINESS);
		assertThat(httpGet(serve, "startupProbe").get("path")).isEqualTo(LIVENESS);
		for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
			assertThat(resolvePort(ports, httpGet(serve, probe).get("port"))).as(probe).isEqualTo(MANAGEMENT_PORT);
		}
		// the ports the command listens on are the ports declared
		List<String> args = strings(serve.get("args"));
		assertThat(args.get(0)).isEqualTo("serve");
		assertThat(args.get(args.indexOf("--port") + 1)).isEqualTo(String.valueOf(API_PORT));
		assertThat(args.get(args.indexOf("--management-port") + 1)).isEqualTo(String.valueOf(MANAGEMENT_PORT));
	}

	@Test
	void theScrapeAnnotationsPointAtThePrometheusEndpointOnTheManagementPort() {
		Map<String, Object> template = map(map(named("Deployment", "segmat-serve").get("spec")).get("template"));
		Map<String, Object> annotations = map(map(template.get("metadata")).get("annotations"));

		assertThat(annotations).containsEntry("prometheus.io/scrape", "true")
			.containsEntry("prometheus.io/path", PROMETHEUS)
			.containsEntry("prometheus.io/port", String.valueOf(MANAGEMENT_PORT));
	}

	@Test
	void theServiceSelectsTheDeploymentsPodsAndTargetsPortsTheyDeclare() {
		Map<String, Object> deployment = named("Deployment", "segmat-serve");
		Map<String, Object> deploymentSpec = map(deployment.get("spec"));
		Map<String, Object> podLabels = map(map(map(deploymentSpec.get("template")).get("metadata")).get("labels"));
		Map<String, Object> service = map(named("Service", "segmat-serve").get("spec"));
		Map<String, Object> ports = containerPorts(container(podSpec(deployment), "serve"));

		assertThat(podLabels).containsAllEntriesOf(map(map(deploymentSpec.get("selector")).get("matchLabels")));
		assertThat(podLabels).containsAllEntriesOf(map(service.get("selector")));
		List<Map<String, Object>> servicePorts = maps(service.get("ports"));
		assertThat(servicePorts).extracting((port) -> port.get("name")).containsExactly("http", "management");
		for (Map<String, Object> port : servicePorts) {
			assertThat(resolvePort(ports, port.get("targetPort"))).as("targetPort of %s", port.get("name"))
				.isEqualTo(port.get("port"));
		}
	}

	@Test
	void everyPodRunsAsNonRootOnAReadOnlyRootWithAWritableTmp() {
		for (Map<String, Object> pod : podSpecs()) {
			Map<String, Object> podSecurity = map(pod.get("securityContext"));
			Set<String> volumes = new HashSet<>();
			maps(pod.get("volumes")).forEach((volume) -> volumes.add((String) volume.get("name")));
			for (Map<String, Object> container : maps(pod.get("containers"))) {
				Map<String, Object> security = map(container.get("securityContext"));
				boolean nonRoot = Boolean.TRUE
					.equals(security.getOrDefault("runAsNonRoot", podSecurity.get("runAsNonRoot")));
				assertThat(nonRoot).as("runAsNonRoot of %s", container.get("name")).isTrue();
				assertThat(security).containsEntry("readOnlyRootFilesystem", true)
					.containsEntry("allowPrivilegeEscalation", false);
				List<Map<String, Object>> mounts = maps(container.get("volumeMounts"));
				assertThat(mounts).extracting((mount) -> mount.get("mountPath")).contains("/tmp");
				mounts.forEach((mount) -> assertThat(volumes).contains((String) mount.get("name")));
				Map<String, Object> resources = map(container.get("resources"));
				assertThat(map(resources.get("requests"))).containsKeys("cpu", "memory");
				assertThat(map(resources.get("limits"))).containsKey("memory");
			}
		}
	}

	@Test
	void theCronJobRunsTheRefreshOnceAtATime() {
		Map<String, Object> cronJob = named("CronJob", "segmat-segment-refresh");
		Map<String, Object> refresh = container(podSpec(cronJob), "refresh");

		assertThat(map(cronJob.get("spec")).get("concurrencyPolicy")).isEqualTo("Forbid");
		assertThat(strings(refresh.get("args")).get(0)).isEqualTo("refresh");
	}

	@Test
	void theRefreshRunsOnTheJitsFirstTierAsBinSegmatRunsIt() throws IOException {
		Map<String, Object> refresh = container(podSpec(named("CronJob", "segmat-segment-refresh")), "refresh");
		String crontab = Files.readString(Path.of("jobs", "crontab"), StandardCharsets.UTF_8);

		assertThat(strings(refresh.get("command"))).contains("-XX:TieredStopAtLevel=1");
		assertThat(crontab.lines().filter((line) -> !line.startsWith("#") && line.contains(" refresh ")))
			.singleElement(InstanceOfAssertFactories.STRING)
			.contains("-XX:TieredStopAtLevel=1");
	}

	private static List<Map<String, Object>> load() {
		List<Map<String, Object>> all = new ArrayList<>();
		for (String file : manifestFiles()) {
			all.addAll(document(DIRECTORY.resolve(file)));
		}
		return all;
	}

	private static List<String> manifestFiles() {
		try (Stream<Path> files = Files.list(DIRECTORY)) {
			return files.map((file) -> file.getFileName().toString())
				.filter((name) -> name.endsWith(".yaml") && !name.equals("kustomization.yaml"))
				.sorted()
				.toList();
		}
		catch (IOException ex) {
			throw new IllegalStateException("cannot list " + DIRECTORY, ex);
		}
	}

	private static List<Map<String, Object>> document(Path file) {
		List<Map<String, Object>> documents = new ArrayList<>();
		try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
			for (Object document : new Yaml().loadAll(reader)) {
				if (document != null) {
					documents.add(map(document));
				}
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("cannot read " + file, ex);
		}
		return documents;
	}

	private List<String> kinds() {
		return this.manifests.stream().map((manifest) -> (String) manifest.get("kind")).toList();
	}

	private Map<String, Object> named(String kind, String name) {
		return this.manifests.stream()
			.filter((manifest) -> kind.equals(manifest.get("kind"))
					&& name.equals(map(manifest.get("metadata")).get("name")))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no " + kind + " named " + name));
	}

	private Map<String, Set<String>> secrets() {
		Map<String, Set<String>> secrets = new HashMap<>();
		for (Map<String, Object> manifest : this.manifests) {
			if ("Secret".equals(manifest.get("kind"))) {
				Set<String> keys = new HashSet<>(map(manifest.get("stringData")).keySet());
				keys.addAll(map(manifest.get("data")).keySet());
				secrets.put((String) map(manifest.get("metadata")).get("name"), keys);
			}
		}
		return secrets;
	}

	private List<Map<String, Object>> podSpecs() {
		List<Map<String, Object>> pods = new ArrayList<>();
		for (Map<String, Object> manifest : this.manifests) {
			if ("Deployment".equals(manifest.get("kind")) || "CronJob".equals(manifest.get("kind"))) {
				pods.add(podSpec(manifest));
			}
		}
		return pods;
	}

	private static Map<String, Object> podSpec(Map<String, Object> manifest) {
		Map<String, Object> spec = map(manifest.get("spec"));
		if ("CronJob".equals(manifest.get("kind"))) {
			spec = map(map(spec.get("jobTemplate")).get("spec"));
		}
		return map(map(spec.get("template")).get("spec"));
	}

	private List<Map<String, Object>> containers() {
		return podSpecs().stream().flatMap((pod) -> maps(pod.get("containers")).stream()).toList();
	}

	private static Map<String, Object> container(Map<String, Object> pod, String name) {
		return maps(pod.get("containers")).stream()
			.filter((container) -> name.equals(container.get("name")))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no container named " + name));
	}

	/** Port names to numbers, and each number to itself. */
	private static Map<String, Object> containerPorts(Map<String, Object> container) {
		Map<String, Object> ports = new HashMap<>();
		for (Map<String, Object> port : maps(container.get("ports"))) {
			ports.put((String) port.get("name"), port.get("containerPort"));
			ports.put(String.valueOf(port.get("containerPort")), port.get("containerPort"));
		}
		return ports;
	}

	private static Object resolvePort(Map<String, Object> ports, Object port) {
		assertThat(ports).as("a declared container port").containsKey(String.valueOf(port));
		return ports.get(String.valueOf(port));
	}

	private static Map<String, Object> httpGet(Map<String, Object> container, String probe) {
		assertThat(container).containsKey(probe);
		return map(map(container.get(probe)).get("httpGet"));
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Object value) {
		return (value != null) ? (Map<String, Object>) value : Map.of();
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> maps(Object value) {
		return (value != null) ? (List<Map<String, Object>>) value : List.of();
	}

	@SuppressWarnings("unchecked")
	private static List<String> strings(Object value) {
		return (value != null) ? (List<String>) value : List.of();
	}

}
