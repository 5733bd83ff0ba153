package io.segmat.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bearer API keys, and the 6 MB body cap, before anything else sees the request. Keys are
 * compared in constant time.
 */
final class ApiSecurityFilter extends OncePerRequestFilter {

	static final long MAX_BODY_BYTES = 6L * 1024 * 1024;

	private static final String UNAUTHORIZED = "{\"errors\":[{\"field\":null,\"message\":\"authorization required\"}]}";

	private final List<byte[]> keys;

	ApiSecurityFilter(List<String> keys) {
		this.keys = keys.stream().map((key) -> key.getBytes(StandardCharsets.UTF_8)).toList();
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!authorized(request.getHeader("Authorization"))) {
			write(response, HttpServletResponse.SC_UNAUTHORIZED, UNAUTHORIZED);
			return;
		}
		if (request.getContentLengthLong() > MAX_BODY_BYTES) {
			write(response, 413,
					"{\"errors\":[{\"field\":null,\"message\":\"the request body is larger than 6 MB\"}]}");
			return;
		}
		chain.doFilter(new CappedRequest(request), response);
	}

	private boolean authorized(String header) {
		if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
			return false;
		}
		byte[] presented = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
		boolean match = false;
		for (byte[] key : this.keys) {
			match |= MessageDigest.isEqual(key, presented);
		}
		return match;
	}

	private static void write(HttpServletResponse response, int status, String body) throws IOException {
		response.setStatus(status);
		response.setContentType("application/json");
		response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
	}

	/** A chunked body has no length up front: count it as it is read. */
	private static final class CappedRequest extends HttpServletRequestWrapper {

		CappedRequest(HttpServletRequest request) {
			super(request);
		}

		@Override
		public ServletInputStream getInputStream() throws IOException {
			ServletInputStream in = super.getInputStream();
			return new ServletInputStream() {

				private long read;

				@Override
				public int read() throws IOException {
					int b = in.read();
					if (b >= 0) {
						count(1);
					}
					return b;
				}

				@Override
				public int read(byte[] buffer, int offset, int length) throws IOException {
					int n = in.read(buffer, offset, length);
					if (n > 0) {
						count(n);
					}
					return n;
				}

				private void count(int n) throws BodyTooLargeException {
					this.read += n;
					if (this.read > MAX_BODY_BYTES) {
						throw new BodyTooLargeException(MAX_BODY_BYTES);
					}
				}

				@Override
				public boolean isFinished() {
					return in.isFinished();
				}

				@Override
				public boolean isReady() {
					return in.isReady();
				}

				@Override
				public void setReadListener(ReadListener listener) {
					in.setReadListener(listener);
				}

			};
		}

	}

}
