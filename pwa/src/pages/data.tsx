import { DataSourcesPanel } from "../components/data-sources.tsx";
import { SkipLinks } from "../components/focus.tsx";
import { ScoredElsewhereSection } from "../components/scored-elsewhere.tsx";
import { ImportLog } from "./data/import-log.tsx";
import { ImportSection } from "./data/import-section.tsx";
import { BundleSection, StorageSection } from "./share.tsx";

/** The Data page: import a CSV file, results scored elsewhere, the import log, metrics, bundles and storage. */
export function DataPage() {
  return (
    <>
      <h1>Data</h1>
      <SkipLinks
        links={[
          { to: "import-title", label: "Import a CSV file" },
          { to: "elsewhere-title", label: "Results scored elsewhere" },
          { to: "log-title", label: "Import log" },
          { to: "sources-title", label: "Metrics" },
          { to: "bundle-title", label: "Bundles" },
          { to: "storage-title", label: "Storage" },
        ]}
      />
      <ImportSection />
      <ScoredElsewhereSection />
      <ImportLog />
      <DataSourcesPanel />
      <BundleSection />
      <StorageSection />
    </>
  );
}
