package io.segmat.api;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tools.jackson.databind.DeserializationFeature;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The HTTP API's keys and filter. With no SEGMAT_API_KEYS, a key of SendGrid's form
 * ({@code SG.<id>.<secret>}, which SendGrid's clients expect) is generated and printed
 * once.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
class ApiConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(ApiConfiguration.class);

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
