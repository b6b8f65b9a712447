package io.shepherd.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.shepherd.api.Role;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A token's role includes every lower one; a role name that does not exist is held by nobody. */
class RoleAuthorizerTest {
  @ParameterizedTest(name = "a {0} token is in the {1} role: {2}")
  @CsvSource({
      "VIEWER,viewer,true", "VIEWER,operator,false", "VIEWER,admin,false",
      "OPERATOR,viewer,true", "OPERATOR,operator,true", "OPERATOR,admin,false",
      "ADMIN,viewer,true", "ADMIN,operator,true", "ADMIN,admin,true",
      "ADMIN,root,false", "ADMIN,ADMIN,false", "ADMIN,'',false"})
  void aRoleIncludesTheLowerOnes(Role held, String needed, boolean allowed) {
    Caller caller = new Caller("aaaaaaaaaaaaaaaa", "someone", held);
    assertThat(new RoleAuthorizer().authorize(caller, needed, null)).isEqualTo(allowed);
  }
}
