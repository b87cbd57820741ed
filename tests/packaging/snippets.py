"""Writes every C# snippet of README.md and docs/*.md as its own console project consuming the SbeCore package.

    python3 tests/packaging/snippets.py OUT_DIR VERSION README.md docs/*.md

A block is a fence opened by ```csharp; one preceded (on the line before) by <!-- snippet: not compiled ... --> is
skipped (an illustration of internal code). Each project is OUT_DIR/<file>-<n>/ with Program.cs (the block as is:
a top-level program) and Snippet.csproj referencing SbeCore VERSION. Prints the project folders, one per line.
"""
import re
import sys
from pathlib import Path

CSPROJ = """<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <ImplicitUsings>enable</ImplicitUsings>
    <Nullable>enable</Nullable>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="SbeCore" Version="{version}" />
  </ItemGroup>
</Project>
"""


def blocks(text: str):
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        if lines[i].strip() == "```csharp":
            skip = i > 0 and lines[i - 1].strip().startswith("<!-- snippet: not compiled")
            j = i + 1
            while j < len(lines) and lines[j].strip() != "```":
                j += 1
            yield skip, "\n".join(lines[i + 1:j]) + "\n"
            i = j
        i += 1


def main() -> None:
    out, version, files = Path(sys.argv[1]), sys.argv[2], sys.argv[3:]
    for f in files:
        for n, (skip, code) in enumerate(blocks(Path(f).read_text(encoding="utf-8")), 1):
            if skip:
                continue
            name = re.sub(r"[^A-Za-z0-9]+", "-", Path(f).stem) + f"-{n}"
            project = out / name
            project.mkdir(parents=True, exist_ok=True)
            (project / "Program.cs").write_text(code, encoding="utf-8")
            (project / "Snippet.csproj").write_text(CSPROJ.format(version=version), encoding="utf-8")
            print(project)


if __name__ == "__main__":
    main()
