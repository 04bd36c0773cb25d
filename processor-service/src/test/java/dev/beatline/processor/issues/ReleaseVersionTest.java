package dev.beatline.processor.issues;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReleaseVersionTest {

    @Test
    void readsPackageVersionPreReleaseAndBuild() {
        ReleaseVersion v = ReleaseVersion.parse("@acme/shop-web@1.2.3.4-beta.2+20240101").orElseThrow();
        assertThat(v).isEqualTo(new ReleaseVersion("@acme/shop-web", 1, 2, 3, 4, "beta.2", "20240101"));
        assertThat(ReleaseVersion.parse("org.example.App@1.0rc1+7").orElseThrow())
                .isEqualTo(new ReleaseVersion("org.example.App", 1, 0, 0, 0, "rc1", "7"));
        assertThat(ReleaseVersion.parse(" shop@2 ").orElseThrow()).isEqualTo(new ReleaseVersion("shop", 2, 0, 0, 0, "", ""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2.3", "shop@", "@shop", "shop@deadbeefcafe", "shop@2fd4e1c67a2d28fced849ee1bb76e7391b93eb12",
        "shop@v1.2.3", "shop@1.2.3.4.5", "shop@1.2@3", "shop@1.2.3+", "shop@99999999999999999999.0"})
    void namesThatAreNoVersionOfAPackage(String release) {
        assertThat(ReleaseVersion.parse(release)).isEmpty();
    }

    @Test
    void ordersByNumbersThenReleaseAbovePreReleaseThenBuild() {
        List<String> ascending = List.of("shop@0.9", "shop@1.0.0-alpha", "shop@1.0.0-beta", "shop@1.0.0",
                "shop@1.0.0+2", "shop@1.0.0+10", "shop@1.0.1", "shop@1.0.1.1", "shop@1.2", "shop@1.10.0", "shop@2.0.0");
        List<ReleaseVersion> sorted = new ArrayList<>(versions(ascending));
        Collections.shuffle(sorted, new Random(7));
        sorted.sort(null);
        assertThat(sorted).containsExactlyElementsOf(versions(ascending));
    }

    @Test
    void onlyVersionsOfOnePackageAreComparable() {
        ReleaseVersion web = ReleaseVersion.parse("web@1.0.0").orElseThrow();
        assertThat(web.comparableWith(ReleaseVersion.parse("web@2.0.0").orElseThrow())).isTrue();
        assertThat(web.comparableWith(ReleaseVersion.parse("api@2.0.0").orElseThrow())).isFalse();
    }

    private static List<ReleaseVersion> versions(List<String> releases) {
        return releases.stream().map(r -> ReleaseVersion.parse(r).orElseThrow()).toList();
    }
}
