@echo off
rem The program browsers start for native messaging (named in OnRecord's host manifests):
rem onrecord.exe beside this file, as "onrecord native-host" with the browser's arguments.
"%~dp0onrecord.exe" native-host %*
