package dev.sluice.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.enrich.EnrichmentChain;
import dev.sluice.core.enrich.EnrichmentStage;
import dev.sluice.core.enrich.FlowEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The YAML form of the exporter and interface dictionaries and of the CIDR tag file, next to CSV. */
class YamlDictionariesTest {

    @TempDir
    Path dir;

    private static List<FlowEvent> run(EnrichmentStage stage, V5.Flow flow, String exporter) {
        EnrichmentChain chain = EnrichmentChain.builder().add(stage).build();
        List<FlowEvent> seen = new ArrayList<>();
        V5.decode(V5.packet(0, flow), exporter, r -> {
            FlowEvent e = new FlowEvent();
            chain.process(r, e);
            seen.add(e);
        });
        assertThat(seen).hasSize(1);
        assertThat(chain.failures("stage-0")).isZero();
        return seen;
    }

    private static void check(EnrichmentStage stage, V5.Flow flow, String exporter, Consumer<FlowEvent> check) {
        check.accept(run(stage, flow, exporter).get(0));
    }

    @Test
    void exportersFromYamlTopLevelListOrUnderTheirKey() throws IOException {
        Path top = Files.writeString(dir.resolve("exporters.yaml"), String.join("\n",
                "# the exporters",
                "- address: 10.0.0.9",
                "  name: edge-1",
                "  site: fra1",
                "  datacenter: dc-west",
                "- {address: 10.0.0.0/24, name: core, site: fra1}",
                "- address: 2001:db8::1",
                "  name: edge-v6",
                ""));
        Path keyed = Files.writeString(dir.resolve("exporters.yml"),
                "exporters:\n  - address: 10.0.0.9\n    name: edge-1\n    site: fra1\n    datacenter: dc-west\n");
        for (Path file : List.of(top, keyed)) {
            ExporterDictionary d = ExporterDictionary.load(file);
            check(d, new V5.Flow(), "10.0.0.9", e -> {
                assertThat(e.observerName()).isEqualTo("edge-1");
                assertThat(e.observerSite()).isEqualTo("fra1");
                assertThat(e.observerDatacenter()).isEqualTo("dc-west");
            });
        }
        ExporterDictionary d = ExporterDictionary.load(top);
        assertThat(d.size()).isEqualTo(3);
        check(d, new V5.Flow(), "10.0.0.7", e -> {
            assertThat(e.observerName()).isEqualTo("core");
            assertThat(e.observerDatacenter()).isNull();
        });
        assertThat(d.lookup(V5.ip("2001:db8::1").getAddress(), 16).name()).isEqualTo("edge-v6");
    }

    @Test
    void interfacesFlatOrNestedPerExporter() throws IOException {
        Path nested = Files.writeString(dir.resolve("interfaces.yaml"), String.join("\n",
                "interfaces:",
                "  - exporter: 10.0.0.9",
                "    interfaces:",
                "      - ifindex: 1",
                "        name: xe-0/0/1",
                "        description: 'uplink, transit A'",
                "        tags: [upstream, transit]",
                "      - {ifindex: 2, name: ge-0/0/2, description: customer LAN, tags: downstream}",
                "  - exporter: 10.0.0.0/8",
                "    ifindex: 1",
                "    name: any-1",
                ""));
        InterfaceDictionary d = InterfaceDictionary.load(nested);
        assertThat(d.size()).isEqualTo(3);
        check(d, new V5.Flow(), "10.0.0.9", e -> {
            assertThat(e.ingress().name()).isEqualTo("xe-0/0/1");
            assertThat(e.ingress().description()).isEqualTo("uplink, transit A");
            assertThat(e.ingress().info().tags()).containsExactly("upstream", "transit");
            assertThat(e.egress().name()).isEqualTo("ge-0/0/2");
            assertThat(e.egress().info().tags()).containsExactly("downstream");
        });
        check(d, new V5.Flow(), "10.3.3.3", e -> {
            assertThat(e.ingress().name()).isEqualTo("any-1");
            assertThat(e.egress().info()).isNull();
        });
    }

    @Test
    void cidrTagsWithTagListsAndLabelMappings() throws IOException {
        Path file = Files.writeString(dir.resolve("networks.yaml"), String.join("\n",
                "networks:",
                "  - cidr: 10.0.0.0/8",
                "    tags: [corp]",
                "    labels: {zone: corp}",
                "  - cidr: 10.1.0.0/16",
                "    tags: [lab]",
                "    labels:",
                "      zone: lab",
                "      owner: qa",
                "  - cidr: 2001:db8::/32",
                "    tags: v6doc",
                ""));
        CidrTagStage s = CidrTagStage.load(file);
        assertThat(s.size()).isEqualTo(3);
        check(s, new V5.Flow().src("10.1.2.3").dst("10.200.0.1"), "192.0.2.1", e -> {
            assertThat(e.hasTag("lab")).isTrue();
            assertThat(e.hasTag("corp")).isTrue();
            assertThat(e.label("owner")).isEqualTo("qa");
            // the destination's (less specific) zone is put after the source's
            assertThat(e.label("zone")).isIn("lab", "corp");
        });
        check(s, new V5.Flow().src("8.8.8.8").dst("1.1.1.1"), "192.0.2.1", e -> assertThat(e.tagCount()).isZero());
    }

    @Test
    void badYamlIsAnErrorNamingTheFileAndTheEntry() throws IOException {
        Object[][] cases = {
            {"bad1.yaml", "- address: 10.0.0.1\n  name: [a, b]\n", "entry 1: 'name' must be a single value"},
            {"bad2.yaml", "- name: edge\n", "entry 1: 'address' is missing"},
            {"bad3.yaml", "- address: 10.0.0.300\n  name: x\n", "entry 1: not a CIDR"},
            {"bad4.yaml", "exporters: {address: 10.0.0.1}\n", "expected a list of entries"},
            {"bad5.yaml", "- address: 10.0.0.1\n  name: 'unterminated\n", "not valid YAML"},
            {"bad6.yaml", "- address: 10.0.0.1\n- just a string\n", "entry 2 is not a mapping"},
        };
        for (Object[] c : cases) {
            Path f = Files.writeString(dir.resolve((String) c[0]), (String) c[1]);
            assertThatThrownBy(() -> ExporterDictionary.load(f)).as((String) c[0]).isInstanceOf(IOException.class)
                    .hasMessageStartingWith(f.toString()).hasMessageContaining((String) c[2]);
        }
        Path ifaces = Files.writeString(dir.resolve("if.yaml"), "- exporter: 10.0.0.1\n  ifindex: eth0\n");
        assertThatThrownBy(() -> InterfaceDictionary.load(ifaces)).hasMessageContaining("entry 1: 'ifindex' is not a"
                + " whole number: eth0");
        Path tags = Files.writeString(dir.resolve("tags.yaml"), "- cidr: 10.0.0.0/8\n  labels: [a, b]\n");
        assertThatThrownBy(() -> CidrTagStage.load(tags)).hasMessageContaining("'labels' must be a mapping");
        Path unsafe = Files.writeString(dir.resolve("unsafe.yaml"), "- !!java.io.File [/etc/passwd]\n");
        assertThatThrownBy(() -> ExporterDictionary.load(unsafe)).hasMessageContaining("not valid YAML");
        // an empty file is an empty dictionary
        assertThat(ExporterDictionary.load(Files.writeString(dir.resolve("empty.yaml"), "# nothing yet\n")).size())
                .isZero();
    }
}
