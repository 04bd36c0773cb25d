package dev.beatline.query.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beatline.query.api.ApiProblem;
import org.junit.jupiter.api.Test;

class ProjectSlugsTest {

    @Test
    void acceptsLowerCaseLettersDigitsAndInnerHyphens() {
        assertThat(ProjectSlugs.validate("shop-backend-2")).isEqualTo("shop-backend-2");
        assertThat(ProjectSlugs.validate("a1")).isEqualTo("a1");
    }

    @Test
    void refusesWhatCannotSitInAnUrlOrLooksLikeAnId() {
        for (String bad : new String[] {"", "a", "Shop", "-shop", "shop-", "shop backend", "shop_backend", "12345",
                "é-shop", "x".repeat(51), "../etc"}) {
            assertThatThrownBy(() -> ProjectSlugs.validate(bad)).as(bad).isInstanceOf(ApiProblem.class)
                    .hasMessageStartingWith("slug:");
        }
        assertThatThrownBy(() -> ProjectSlugs.validate(null)).isInstanceOf(ApiProblem.class);
    }

    @Test
    void namesAreTrimmedAndBounded() {
        assertThat(ProjectSlugs.validateName("  Shop  ")).isEqualTo("Shop");
        assertThatThrownBy(() -> ProjectSlugs.validateName(" ")).isInstanceOf(ApiProblem.class);
        assertThatThrownBy(() -> ProjectSlugs.validateName("n".repeat(201))).isInstanceOf(ApiProblem.class);
    }
}
