package io.segmat.api;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tools.jackson.databind.DeserializationFeature;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The HTTP API's keys, filter and database wait. With no SEGMAT_API_KEYS, a key of
 * SendGrid's form ({@code SG.<id>.<secret>}, which SendGrid's clients expect) is
 * generated and printed once.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
class ApiConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(ApiConfiguration.class);

	/**
	 * The longest a request waits for a database connection. Hikari's default, 30 s, held
	 * every request that long while the database was down, to answer 500 in the end; a
	 * pool that has no connection in 3 s is not about to have one, and the client is told
	 * to come back (503).
	 */
	static final Duration CONNECTION_WAIT = Duration.ofSeconds(3);

	/** Checking a pooled connection must fit in the wait for one, or Hikari complains. */
	static final Duration CONNECTION_CHECK = Duration.ofSeconds(2);

	private static final long HIKARI_DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(30).toMillis();

	@Bean
	FilterRegistrationBean<ApiSecurityFilter> apiSecurityFilter(@Value("${segmat.api.keys:}") String configured) {
		List<String> keys = Arrays.stream(configured.split(",")).map(String::trim).filter((k) -> !k.isEmpty()).toList();
		if (keys.isEmpty()) {
			String generated = generateKey();
			System.out.println("API key (shown once): " + generated);
			System.out.flush();
			logger.warn("no SEGMAT_API_KEYS configured; generated a key for this server's lifetime");
			keys = List.of(generated);
		}
		FilterRegistrationBean<ApiSecurityFilter> registration = new FilterRegistrationBean<>(
				new ApiSecurityFilter(keys));
		// The error page too: asked for directly, it is one more endpoint
		registration.addUrlPatterns("/v3/*", "/error");
		return registration;
	}

	/**
	 * The API's pool waits {@link #CONNECTION_WAIT}, unless
	 * {@code spring.datasource.hikari.connection-timeout} says otherwise. The command
	 * line keeps Hikari's 30 s: its refresh workers may rightly wait that long for one
	 * another's connections, and no client is waiting on it.
	 */
	@Bean
	static BeanPostProcessor apiConnectionWait() {
		return new BeanPostProcessor() {

			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				if (bean instanceof HikariDataSource pool
						&& pool.getConnectionTimeout() == HIKARI_DEFAULT_CONNECTION_TIMEOUT) {
					pool.setConnectionTimeout(CONNECTION_WAIT.toMillis());
					pool.setValidationTimeout(Math.min(pool.getValidationTimeout(), CONNECTION_CHECK.toMillis()));
				}
				return bean;
			}

		};
	}

	/**
	 * Request bodies read numbers as the import files do, exactly: read as a double,
	 * 1e400 became Infinity and 1e-400 became 0 before any check could see them.
	 */
	@Bean
	JsonMapperBuilderCustomizer exactDecimals() {
		return (builder) -> builder.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
	}

	private static String generateKey() {
		SecureRandom random = new SecureRandom();
		byte[] id = new byte[11];
		byte[] secret = new byte[32];
		random.nextBytes(id);
		random.nextBytes(secret);
		return "SG." + HexFormat.of().formatHex(id) + "." + HexFormat.of().formatHex(secret);
	}

}
