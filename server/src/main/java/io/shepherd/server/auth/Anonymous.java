package io.shepherd.server.auth;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A resource method served without a token. Only for what holds no data of the cluster: the dashboard's page, which
 * a browser navigates to before anyone could give it a header, and which reads everything else with the token the
 * user types in. {@code ApiAccessTest} lists every such endpoint by name, so none is added unnoticed.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Anonymous {}
